from flask import Blueprint
from flask.views import MethodView

bp = Blueprint("v", __name__, url_prefix="/v1")


def mounted(view_cls):
    bp.add_url_rule(view_cls.rule, view_func=view_cls.as_view(view_cls.endpoint))
    return view_cls


def listed(view):
    bp.add_url_rule("/list/" + view.__name__, view_func=view)
    return view


class Base(MethodView):
    rule = "/base"
    endpoint = "base"

    def get(self):
        return "base"
