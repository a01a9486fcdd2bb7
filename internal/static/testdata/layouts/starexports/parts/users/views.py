from flask import Blueprint

users_bp = Blueprint("users", __name__)
keys_bp = Blueprint("keys", __name__)


@users_bp.route("/")
def list_users():
    return []


@keys_bp.route("/", methods=["GET", "POST"])
def keys(user_id):
    return []
