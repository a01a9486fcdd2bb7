from flask import Blueprint

users = Blueprint("users", __name__, url_prefix="/users")


@users.route("/")
def index():
    return "users"


@users.route("/<int:user_id>", methods=["GET", "DELETE"])
def one(user_id):
    return str(user_id)
