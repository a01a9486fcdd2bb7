from flask import Blueprint

bp = Blueprint("profile", __name__)


@bp.route("/me", methods=["GET", "PATCH"])
def me():
    return {}
