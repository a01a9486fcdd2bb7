from flask_jwt_extended import jwt_required
from flask_restx import Namespace, Resource

ns = Namespace("todos", description="TODO operations")


@ns.route("/")
class TodoList(Resource):
    method_decorators = [jwt_required()]

    def get(self):
        return []

    def post(self):
        return {}, 201


@ns.route("/<int:id>", "/by-id/<int:id>")
class Todo(Resource):
    method_decorators = [jwt_required()]

    def get(self, id):
        return {"id": id}

    def delete(self, id):
        return "", 204
