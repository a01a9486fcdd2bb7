from flask import Blueprint

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health():
    return {"ok": True}
