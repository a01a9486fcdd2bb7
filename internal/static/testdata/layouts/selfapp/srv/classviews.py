from flask import Blueprint


class Views:
    """A blueprint held on a class, its routes declared in the class body."""

    bp = Blueprint("views", __name__)

    @bp.route("/y")
    def y():
        return "y"
