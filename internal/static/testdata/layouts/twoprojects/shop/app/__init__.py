from flask import Flask
from flask_jwt_extended import JWTManager

from config import Config

jwt = JWTManager()


def create_app():
    app = Flask(__name__)
    app.config.from_object(Config)
    jwt.init_app(app)
    from app.orders import bp

    app.register_blueprint(bp, url_prefix="/orders")
    return app
