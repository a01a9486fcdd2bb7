from flask import Blueprint

bp = Blueprint("accounts", __name__)


@bp.route("/")
def index():
    return {"accounts": []}
