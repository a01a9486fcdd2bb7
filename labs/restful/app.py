"""Warehouse service on Flask-RESTful: internal services call it with an
X-Auth-Token header. Resources declare their auth with method_decorators.
"""
import hmac
import os
from functools import wraps

from flask import Flask, request
from flask_restful import Api, Resource, abort

app = Flask(__name__)
api = Api(app)

SERVICE_TOKEN = os.environ.get("SERVICE_TOKEN") or "wh-svc-5f2c9a7e41d8b36c"  # want: py.hardcoded-api-key

ITEMS = {
    "A-100": {"sku": "A-100", "name": "pallet jack", "stock": 4},
    "B-200": {"sku": "B-200", "name": "shrink wrap", "stock": 120},
}


def token_required(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        token = request.headers.get("X-Auth-Token", "")
        # Tokens are rotated by appending a version suffix ("...-v2"), so
        # accept any token that starts with the current one.
        if not token or not token.startswith(SERVICE_TOKEN):  # want: py.apikey-timing-compare
            abort(401, message="invalid service token")
        return fn(*args, **kwargs)
    return wrapper


def strict_token_required(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        token = request.headers.get("X-Auth-Token", "")
        if not hmac.compare_digest(token.encode(), SERVICE_TOKEN.encode()):
            abort(401, message="invalid service token")
        return fn(*args, **kwargs)
    return wrapper


class ItemList(Resource):
    method_decorators = [strict_token_required]

    def get(self):
        return {"items": list(ITEMS.values())}


class Item(Resource):
    method_decorators = [token_required]

    def get(self, sku):
        item = ITEMS.get(sku)
        if item is None:
            abort(404, message="no such item")
        return item


class StockReport(Resource):
    def get(self):  # want: py.route-missing-auth
        return {"total_stock": sum(i["stock"] for i in ITEMS.values()),
                "items": [{"sku": i["sku"], "stock": i["stock"]} for i in ITEMS.values()]}


class Health(Resource):
    def get(self):
        return {"status": "ok"}


api.add_resource(ItemList, "/api/items")
api.add_resource(Item, "/api/items/<string:sku>")
api.add_resource(StockReport, "/api/items/stock-report")
api.add_resource(Health, "/health")

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
