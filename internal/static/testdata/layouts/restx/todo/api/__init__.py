from flask import Blueprint
from flask_restx import Api

from .cats import api as cats_ns
from .todos import ns as todos_ns

blueprint = Blueprint("api", __name__, url_prefix="/api/1")
api = Api(blueprint, title="Todo API", version="1.0", doc="/doc/")

api.add_namespace(todos_ns)
api.add_namespace(cats_ns, path="/felines")


@api.route("/version")
class Version:
    def get(self):
        return {"version": "1.0"}


users = api.namespace("users", description="User operations")


@users.route("/<int:id>")
class User:
    def get(self, id):
        return {"id": id}
