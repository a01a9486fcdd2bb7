from flask import Blueprint


def factory(name):
    bp = Blueprint(name, __name__, url_prefix="/" + name)

    @bp.get("/daily")
    def daily():
        return {}

    return bp
