import importlib

import flask

SECTIONS = (
    "svc.api.users",
    "svc.api.items",
    "svc.api.orders",
)


def build():
    app = flask.Flask(__name__)
    for section in SECTIONS:
        importlib.import_module(section).setup(app)
    return app
