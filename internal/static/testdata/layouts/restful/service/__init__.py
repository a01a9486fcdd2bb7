from flask import Flask

from service import assets


def create_app():
    app = Flask(__name__)
    from service.handlers import api

    api.init_app(app)
    assets.add_resource("static/js", "main-bundle")
    return app
