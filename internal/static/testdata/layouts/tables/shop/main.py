from flask import Blueprint

from shop import create_app
from shop.api import register_api


def main():
    # The factory hands back the module-level app.
    app = create_app()
    web = Blueprint("web", __name__)

    @web.route("/")
    def index():
        return "shop"

    app.register_blueprint(web)
    register_api(app)
    return app
