from flask import Flask, Blueprint
from flask_restful import Api, Resource


class Packages(Resource):
    def get(self):
        return []

    def post(self):
        return {}, 201


class Versions(Resource):
    def get(self):
        return []


def create_app():
    app = Flask(__name__)
    # Objects kept as attributes of a local name, then used through it.
    app.api = Api(app)
    app.api.add_resource(Packages, "/api/v2/packages/", endpoint="v2.packages")
    app.api.add_resource(Versions, "/api/v2/versions/", endpoint="v2.versions")

    app.extra = Blueprint("extra", __name__)

    @app.extra.route("/ping")
    def ping():
        return "pong"

    app.register_blueprint(app.extra, url_prefix="/extra")
    return app
