# The app's class is chosen at import: a class named by the environment,
# else Flask; routes are added by a helper given the app.
import importlib
import os

from flask import Flask

APP_MODULE = os.environ.get("APP_MODULE")
APP_CLASS = os.environ.get("APP_CLASS")
if APP_MODULE and APP_CLASS:
    app_class = getattr(importlib.import_module(APP_MODULE), APP_CLASS)
else:
    app_class = Flask


def status():
    return "ok"


def search():
    return "results"


def init_routes(app):
    app.add_url_rule("/status", "status", status)
    app.add_url_rule("/api/search", "search", search, methods=["POST"])


def create_app():
    app = app_class(__name__)
    init_routes(app)
    return app


app = create_app()
