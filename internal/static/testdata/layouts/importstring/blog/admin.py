from flask import Blueprint

bp = Blueprint("admin", __name__)


@bp.route("/admin/home")
def home():
    return "admin"
