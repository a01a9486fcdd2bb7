from flask import Blueprint

bp = Blueprint("shop", __name__)


@bp.get("/items")
def items():
    return []


@bp.delete("/items/<int:item_id>")
def delete_item(item_id):
    return "", 204
