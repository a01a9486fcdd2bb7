from flask import Flask

from crm import contacts, deals, health

DEFAULT_BLUEPRINTS = (health.blueprint,)


def configure_blueprints(app, blueprints):
    for blueprint in blueprints:
        app.register_blueprint(blueprint, url_prefix="/api/1")


def create_app(blueprints=None):
    app = Flask(__name__)
    # A tuple passed down two calls and extended with +.
    blueprints = blueprints + DEFAULT_BLUEPRINTS
    configure_blueprints(app, blueprints)
    app.register_blueprint(deals.blueprint, url_prefix="/v2")
    return app


app = create_app(blueprints=(contacts.blueprint,))
