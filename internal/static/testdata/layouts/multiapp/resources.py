"""The finished tutorial's resources: every one requires the API key."""
import hmac
import os
from functools import wraps

from flask import abort, request
from flask_restful import Resource


def require_key(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not hmac.compare_digest(request.headers.get("X-Api-Key", ""), os.environ["API_KEY"]):
            abort(401)
        return view(*args, **kwargs)

    return wrapper


class Item(Resource):
    method_decorators = [require_key]

    def get(self, item_id):
        return {"id": item_id}


class Stats(Resource):
    method_decorators = [require_key]

    def get(self):
        return {"items": 0}
