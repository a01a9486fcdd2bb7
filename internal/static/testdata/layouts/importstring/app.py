import importlib

from flask import Flask
from werkzeug.utils import import_string

app = Flask(__name__)
# Blueprints named by strings, as a config's list of them would.
for path in ["blog.views:bp", "blog.admin.bp"]:
    app.register_blueprint(import_string(path))
for name in ("feeds",):
    app.register_blueprint(importlib.import_module("blog." + name).bp, url_prefix="/" + name)
app.register_blueprint(getattr(importlib.import_module("blog.search"), "search_bp"))
