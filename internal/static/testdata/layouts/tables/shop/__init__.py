from flask import Flask

app = Flask(__name__)


def create_app():
    app.config["SHOP"] = "demo"
    return app
