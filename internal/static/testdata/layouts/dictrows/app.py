"""Blueprints registered from a table of dict rows: a module-level tuple
of dicts, read with subscripts in a loop inside the factory."""
from flask import Blueprint, Flask

orders = Blueprint("orders", __name__)
stock = Blueprint("stock", __name__)


@orders.route("/<int:order_id>", methods=["GET", "DELETE"])
def order(order_id):
    return {}


@stock.route("/levels")
def levels():
    return []


MOUNTS = (
    {"bp": orders, "prefix": "/orders"},
    {"bp": stock, "prefix": "/warehouse/stock"},
)


def create_app():
    app = Flask(__name__)
    for row in MOUNTS:
        app.register_blueprint(row["bp"], url_prefix=row["prefix"])
    return app


app = create_app()
