from functools import wraps

from flask import Blueprint, abort, g

bp = Blueprint("admin", __name__)


def require_identity(view):
    """Answers 401 unless an earlier layer authenticated the request."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if getattr(g, "identity", None) is None:
            abort(401)
        return view(*args, **kwargs)

    return wrapper


def page(path, **options):
    def register(view):
        bp.add_url_rule(path, view_func=view, **options)
        return view

    return register


@page("/admin/stats")
@require_identity
def admin_stats():
    return {}
