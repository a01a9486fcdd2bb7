from flask import Blueprint

from authprobe_absent_lib import cached

bp = Blueprint("shop", __name__, url_prefix="/items")


def load(item_id):
    return str(item_id)


@bp.route("/<int:item_id>")
@cached
def one(item_id):
    return load(item_id)


@bp.route("/<int:item_id>", methods=["PUT"])
def update(item_id):
    return load(item_id)
