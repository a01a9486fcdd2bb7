from flask_restful import Resource

from reg import resource


@resource("/users", "/users/")
class UserList(Resource):
    def get(self):
        return []


@resource("/users/<int:uid>")
class User(Resource):
    def get(self, uid):
        return {}

    def delete(self, uid):
        return "", 204
