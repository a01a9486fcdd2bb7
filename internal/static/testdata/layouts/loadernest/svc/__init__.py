import importlib
import pkgutil

from flask import Blueprint, Flask

from svc import modules

v2 = Blueprint("v2", __name__, url_prefix="/v2")


def create_app():
    app = Flask(__name__)
    for info in pkgutil.iter_modules(modules.__path__):
        loaded = importlib.import_module("svc.modules." + info.name)
        v2.register_blueprint(loaded.blueprint)
    app.register_blueprint(v2)
    return app
