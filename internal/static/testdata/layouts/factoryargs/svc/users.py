from flask import Blueprint
from flask_restful import Api, Resource

mod = Blueprint("users", __name__)
api = Api(mod)


class Users(Resource):
    def get(self):
        return []

    def post(self):
        return {}, 201


class User(Resource):
    def get(self, user_id):
        return {}


api.add_resource(Users, "/users", endpoint="users")
api.add_resource(User, "/users/<int:user_id>", endpoint="user")
