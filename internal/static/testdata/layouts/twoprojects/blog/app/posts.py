from flask import Blueprint

bp = Blueprint("posts", __name__)


@bp.get("/")
def index():
    return []
