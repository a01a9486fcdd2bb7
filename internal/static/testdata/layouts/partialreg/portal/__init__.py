import functools

from flask import Flask

from portal.views import billing, catalog, profile


def create_app(cfg):
    app = Flask(__name__)
    # functools.partial of register_blueprint, called later in a loop.
    register = functools.partial(app.register_blueprint, url_prefix="/api")
    for bp in (catalog.bp, profile.bp):
        register(bp)
    # A loop over modules, each making its blueprint from the config.
    for mod in [billing]:
        app.register_blueprint(mod.make_blueprint(cfg), url_prefix="/" + cfg["VERSION"])
    # A function-local import with an alias.
    import portal.views.reports as rep
    app.register_blueprint(rep.factory("reports"))
    return app
