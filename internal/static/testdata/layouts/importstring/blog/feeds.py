from flask import Blueprint

bp = Blueprint("feeds", __name__)


@bp.route("/feeds/home")
def home():
    return "feeds"
