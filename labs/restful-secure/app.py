"""Warehouse service on Flask-RESTful, done right: the service token is a
deployment secret mounted as a file, compared in constant time on every
resource, and failed attempts are throttled per client (429 + Retry-After).
"""
import hmac
import os
import sys
from functools import wraps

from flask import Flask, request
from flask_restful import Api, Resource, abort

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
api = Api(app)

TOKEN_FILE = os.environ.get("SERVICE_TOKEN_FILE") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "service_token.txt")
with open(TOKEN_FILE, encoding="utf-8") as token_file:
    SERVICE_TOKEN = token_file.read().strip()
if len(SERVICE_TOKEN) < 16:
    raise SystemExit("service token missing or too short")

throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="client")


def throttle_wait(client):
    """Seconds the caller must wait, 0 when it may try again."""
    return throttle.retry_after(throttle.key())


def record_failure(client):
    """Count one failed attempt."""
    throttle.fail(throttle.key())


ITEMS = {
    "A-100": {"sku": "A-100", "name": "pallet jack", "stock": 4},
    "B-200": {"sku": "B-200", "name": "shrink wrap", "stock": 120},
}


def token_required(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        client = request.remote_addr
        wait = throttle_wait(client)
        if wait:
            return {"message": "too many failed attempts"}, 429, {"Retry-After": str(wait)}
        token = request.headers.get("X-Auth-Token", "")
        if not hmac.compare_digest(token.encode(), SERVICE_TOKEN.encode()):
            record_failure(client)
            abort(401, message="invalid service token")
        return fn(*args, **kwargs)
    return wrapper


class ItemList(Resource):
    method_decorators = [token_required]

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
    method_decorators = [token_required]

    def get(self):
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
