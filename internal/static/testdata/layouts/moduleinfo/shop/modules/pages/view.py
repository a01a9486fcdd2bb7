from flask import Blueprint

from shop.module import ModuleInfo

minfo = ModuleInfo(__file__, __name__)
bp = Blueprint("pages", __name__)


@bp.route(minfo.info["dashboard"] + "/all")
def index_all():
    return []


@bp.route(minfo.info["dashboard"])
def dashboard():
    return "dashboard"
