from flask import Blueprint

bp = Blueprint("orders", __name__)


def listing():
    return "orders"


bp.add_url_rule("/orders", "listing", listing, methods=["GET", "POST"])
