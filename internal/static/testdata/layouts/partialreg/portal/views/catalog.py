from flask import Blueprint

bp = Blueprint("catalog", __name__, url_prefix="/catalog")


@bp.route("/items")
def items():
    return {"items": []}
