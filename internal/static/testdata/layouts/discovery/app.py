# A loader that discovers its blueprints: every module of the views
# package is imported and each Blueprint instance found in it is
# registered; no call names a blueprint.
import importlib
import inspect
import os
import pkgutil

from flask import Blueprint, Flask


def is_blueprint(obj):
    return isinstance(obj, Blueprint)


def discover():
    path = os.path.join(os.path.dirname(__file__), "views")
    found = []
    for _, name, _ in pkgutil.iter_modules([path], "views."):
        module = importlib.import_module(name)
        for _, bp in inspect.getmembers(module, is_blueprint):
            found.append(bp)
    return found


def create_app():
    app = Flask(__name__)
    for blueprint in discover():
        app.register_blueprint(blueprint)

    @app.route("/health")
    def health():
        return "ok"

    return app


app = create_app()
