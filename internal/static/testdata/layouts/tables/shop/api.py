from flask import Blueprint
from flask_restful import Api, Resource


class Products(Resource):
    def get(self):
        return []


class Product(Resource):
    def get(self, pid):
        return {}

    def delete(self, pid):
        return "", 204


class Orders(Resource):
    def post(self):
        return {}, 201


# Routes declared as a table and registered in a loop.
ROUTES = [
    ("/products", Products),
    ("/products/<int:pid>", Product),
]
EXTRA = [(Orders, "/orders")]


def register_api(app):
    bp = Blueprint("api", __name__)
    api = Api(bp)
    for path, resource in ROUTES:
        api.add_resource(resource, path)
    for route in EXTRA:
        api.add_resource(*route)
    app.register_blueprint(bp, url_prefix="/api")
