from flask import Blueprint

mod = Blueprint("health", __name__)


@mod.route("/healthcheck")
def healthcheck():
    return "ok"
