from flask import Blueprint

blueprint = Blueprint("health", __name__)


@blueprint.route("/healthcheck")
def healthcheck():
    return "ok"
