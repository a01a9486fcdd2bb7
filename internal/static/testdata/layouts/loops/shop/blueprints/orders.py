from flask import Blueprint

blueprint = Blueprint("orders", __name__)
legacy = Blueprint("legacy_orders", __name__)


@blueprint.get("/<int:oid>")
def order(oid):
    return {"id": oid}


@legacy.get("/<int:oid>")
def legacy_order(oid):
    return {"id": oid}
