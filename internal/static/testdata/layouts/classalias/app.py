# The app's class is chosen at import: a class named by the environment,
# else Flask; routes are added by a helper given the app.
import importlib
import os

from flask import Blueprint, Flask

APP_MODULE = os.environ.get("APP_MODULE")
APP_CLASS = os.environ.get("APP_CLASS")
if APP_MODULE and APP_CLASS:
    app_class = getattr(importlib.import_module(APP_MODULE), APP_CLASS)
else:
    app_class = Flask


# A blueprint written into the module's globals under a key and read back.
BP_KEY = "extra_blueprint"


class Holder:
    def __init__(self):
        self.blueprint = Blueprint("extra", __name__, url_prefix="/extra")


holder = Holder()
globals()[BP_KEY] = holder.blueprint
extra = globals()[BP_KEY]


@extra.route("/info")
def info():
    return "info"


def status():
    return "ok"


def search():
    return "results"


def init_routes(app):
    app.add_url_rule("/status", "status", status)
    app.add_url_rule("/api/search", "search", search, methods=["POST"])


_plugin_app = None


def attach_plugins(flask_app):
    # A module global set from the parameter, then used as the receiver.
    global _plugin_app
    _plugin_app = flask_app
    _plugin_app.add_url_rule("/plugins", "plugins", status)


def create_app():
    app = app_class(__name__)
    init_routes(app)
    attach_plugins(app)
    app.register_blueprint(extra)
    return app


app = create_app()
