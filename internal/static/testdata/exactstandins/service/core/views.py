from flask import Blueprint

from core import auth

bp = Blueprint("items", __name__)


@bp.route("/items")
@auth.login_required
def items():
    return []


@bp.route("/items/<int:item_id>", methods=["GET", "DELETE"])
def item(item_id):
    return {}
