from flask import Blueprint

bp = Blueprint("web", __name__)


def page(path, **options):
    """Registers the decorated view under path."""

    def register(view):
        bp.add_url_rule(path, view_func=view, **options)
        return view

    return register


@page("/about")
def about():
    return "about"


@page("/contact", methods=["GET", "POST"])
def contact():
    return "contact"

