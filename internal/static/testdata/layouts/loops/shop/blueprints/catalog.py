from flask import Blueprint

blueprint = Blueprint("catalog", __name__, url_prefix="/catalog")


@blueprint.get("/")
def products():
    return {"products": []}
