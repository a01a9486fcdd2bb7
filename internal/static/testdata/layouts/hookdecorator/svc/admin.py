from flask import Blueprint

from svc.auth import admin_required

admin = Blueprint("admin", __name__)


# The hook's check is the decorator on it; its body does nothing.
@admin.before_request
@admin_required
def guard():
    pass


@admin.route("/users")
def users():
    return {"users": []}


@admin.route("/users/<int:uid>", methods=["DELETE"])
def delete_user(uid):
    return "", 204
