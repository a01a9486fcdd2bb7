from flask import Blueprint

bp = Blueprint("health", __name__)


@bp.route("/live")
def live():
    return "ok"
