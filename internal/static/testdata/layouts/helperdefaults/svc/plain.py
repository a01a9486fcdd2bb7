from flask import Blueprint

bp = Blueprint("plain", __name__)


def a():
    return "a"


def b():
    return "b"


def c():
    return "c"


def reg(blueprint, view, url="/default", methods=("GET",), prefix="/p"):
    blueprint.add_url_rule(prefix + url, view_func=view, methods=methods)


def deco(blueprint, url="/deco", **kw):
    def wrap(f):
        blueprint.add_url_rule(url, f.__name__, f, **kw)
        return f
    return wrap


def routes(bp, base="/r"):
    @bp.route(base + "/inner")
    def inner():
        return "i"


reg(bp, a)
reg(bp, b, "/given", methods=["POST"])
reg(bp, c, prefix="")
routes(bp)


@deco(bp)
def d():
    return "d"




