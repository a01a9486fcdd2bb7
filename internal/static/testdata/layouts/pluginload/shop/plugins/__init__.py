import importlib
import os

from flask import send_from_directory


def register_assets(app, base_path):
    # Each plugin serves its own static files under its base path.
    folder = os.path.join(os.path.dirname(__file__), base_path.strip("/").split("/")[1], "assets")

    def assets(path):
        return send_from_directory(folder, path)

    rule = "/" + base_path.strip("/") + "/<path:path>"
    app.add_url_rule(rule=rule, endpoint=base_path, view_func=assets)


def plugin_names():
    here = os.path.dirname(__file__)
    return sorted(d for d in os.listdir(here) if os.path.isfile(os.path.join(here, d, "__init__.py")))


def init_plugins(app):
    # A loader: the modules are found by listing the folder; each one's
    # load() gets the app.
    for name in plugin_names():
        module = "." + name
        module = importlib.import_module(module, package="shop.plugins")
        module.load(app)
