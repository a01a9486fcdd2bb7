from flask import Blueprint

bp = Blueprint("reports", __name__)
archive = Blueprint("archive", __name__)


@bp.route("/latest")
def latest():
    return {}


@archive.route("/<int:year>")
def year(year):
    return {}
