from flask.views import MethodView


class Ping(MethodView):
    def get(self):
        return "pong"


class NoteList(MethodView):
    def get(self):
        return []

    def post(self):
        return {}, 201


class NoteItem(MethodView):
    def get(self, nid):
        return {}

    def delete(self, nid):
        return "", 204
