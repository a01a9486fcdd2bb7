from flask import Blueprint

blueprint = Blueprint("cart", __name__, url_prefix="/cart")


@blueprint.post("/items")
def add_item():
    return {}, 201
