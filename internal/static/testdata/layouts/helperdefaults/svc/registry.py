from flask import Blueprint
from flask.views import MethodView

bp = Blueprint("registry", __name__)


class Items(MethodView):
    def get(self):
        return "a"

    def post(self):
        return "a"


def register(blueprint, view, name, urls=("/items", "/items/"), pk=None, pk_type="int"):
    fn = view.as_view(name)
    for url in urls:
        blueprint.add_url_rule(url, view_func=fn, methods=["GET"])
    if pk:
        blueprint.add_url_rule("%s/<%s:%s>" % (urls[0], pk_type, pk), view_func=fn, methods=["GET", "POST"])


class Registry:
    def __init__(self, bp, base="/v1"):
        self.bp = bp
        self.base = base

    def add(self, view, path, name=None):
        self.bp.add_url_rule(self.base + path, name or path.strip("/"), view.as_view(name or path.strip("/")))


register(bp, Items, "items")
register(bp, Items, "things", urls=["/things"], pk="tid")
reg = Registry(bp)
reg.add(Items, "/reg")



