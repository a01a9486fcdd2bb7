import flask_restful

from svc.api import util


class UserList(flask_restful.Resource):
    def get(self):
        return []

    def post(self):
        return {}, 201


class User(flask_restful.Resource):
    def get(self, uid):
        return {}

    def delete(self, uid):
        return "", 204


def setup(app):
    util.mount(app, "users", [
        {"where": __name__, "cls": "UserList", "path": ""},
        {"where": __name__, "cls": "User", "path": "<int:uid>"},
    ])
