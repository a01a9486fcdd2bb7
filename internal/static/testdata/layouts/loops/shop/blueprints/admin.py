from flask import Blueprint

blueprint = Blueprint("admin", __name__)
webhooks = Blueprint("webhooks", __name__, url_prefix="/hooks")


@blueprint.get("/users")  # want: py.route-missing-auth
def users():
    return {"users": []}


@webhooks.post("/payment")
def payment():
    return {}, 204
