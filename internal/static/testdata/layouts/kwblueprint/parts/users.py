from flask import Blueprint

bp = Blueprint("users", __name__)


@bp.route("/")
def list_users():
    return []


@bp.route("/<int:user_id>", methods=["GET", "DELETE"])
def user(user_id):
    return {}
