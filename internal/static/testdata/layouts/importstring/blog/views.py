from flask import Blueprint

bp = Blueprint("views", __name__)


@bp.route("/views/home")
def home():
    return "views"
