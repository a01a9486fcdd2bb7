# A plugin registers its blueprint on the running app (current_app).
from flask import Blueprint, current_app

plugin_bp = Blueprint("plugin", __name__)


@plugin_bp.route("/ping")
def ping():
    return "pong"


def install():
    current_app.register_blueprint(plugin_bp, url_prefix="/ext")
