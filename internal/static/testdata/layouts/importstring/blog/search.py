from flask import Blueprint

search_bp = Blueprint("search", __name__, url_prefix="/search")


@search_bp.get("/")
def search():
    return []
