from flask import Blueprint, Flask


class ServiceApp(Flask):
    pass


def register_views_public(blueprint: Blueprint, settings=None):
    @blueprint.route("/health")
    def health():
        return "ok"


def register_views_info(prefix, blueprint):
    @blueprint.route(prefix + "/version")
    def version():
        return "1"


def build_app():
    app = ServiceApp(__name__)
    bp = Blueprint("svc", import_name=__name__)
    register_views_public(blueprint=bp, settings={})
    register_views_info("/meta", blueprint=bp)
    app.register_blueprint(bp, url_prefix="/svc/<version>")
    return app
