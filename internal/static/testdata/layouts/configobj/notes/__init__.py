from flask import Flask

from notes.config import TokenPolicy


def create_app():
    app = Flask(__name__)
    app.config.from_object("settings")
    app.config.from_object(TokenPolicy)
    from notes.views import bp

    app.register_blueprint(bp)
    return app
