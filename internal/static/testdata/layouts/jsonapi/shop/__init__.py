from flask import Flask

from shop.extensions import admin, api, v2


def create_app():
    app = Flask(__name__)
    from shop import routes  # noqa: registers the resources
    api.init_app(app, v2)
    app.register_blueprint(v2)
    app.register_blueprint(admin)
    return app
