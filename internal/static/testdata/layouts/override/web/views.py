from web.bp import Blueprint

bp = Blueprint("web", __name__)


@bp.route("/a")
def a():
    return "a"


@bp.route("/b", methods=["POST"])
def b():
    return "b"
