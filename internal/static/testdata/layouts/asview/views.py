import jwt
from flask import abort, request
from flask.views import MethodView

JWT_SECRET = "changeme"  # want: py.jwt-weak-secret


def token_required(view):
    def wrapper(*args, **kwargs):
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            request.claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256"], options={"require": ["exp"]})
        except jwt.InvalidTokenError:
            abort(401)
        return view(*args, **kwargs)

    return wrapper


class ItemAPI(MethodView):
    decorators = [token_required]

    def get(self, item_id):
        return {"id": item_id}

    def put(self, item_id):
        return {"id": item_id}

    def delete(self, item_id):
        return "", 204


class ItemListAPI(MethodView):
    decorators = [token_required]

    def get(self):
        return {"items": []}

    def post(self):
        return {"id": 1}, 201


def ping():
    return "pong"
