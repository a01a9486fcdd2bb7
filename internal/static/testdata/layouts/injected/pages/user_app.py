from flask import request


@manager.route("/users", methods=["GET"])  # noqa: F821
def list_users():
    return "users"


@manager.route("/users/<user_id>", methods=["PUT", "DELETE"])  # noqa: F821
def change_user(user_id):
    return request.method
