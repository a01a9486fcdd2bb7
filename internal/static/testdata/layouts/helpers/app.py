import importlib

from flask import Flask
from flask_restful import Api

from inv import health
from inv.resources import items

app = Flask(__name__)
api = Api(app)

BASE = "/api/v1"
MODULES = ["stock", "suppliers"]

# A route helper called directly, receiving the Api and a base path.
items.setup(api, BASE)
# The same helper shape reached through importlib over a constant list.
for name in MODULES:
    importlib.import_module("inv.resources." + name).setup(api, BASE)
# add_url_rule inside a helper that receives the app.
health.register(app, prefix="/_")
