from flask import Flask

from shop.plugins import init_plugins


def create_app():
    app = Flask(__name__)

    @app.route("/")
    def index():
        return "shop"

    init_plugins(app)
    return app
