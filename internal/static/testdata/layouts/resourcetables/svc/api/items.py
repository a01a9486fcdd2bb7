import flask_restful

from svc.api import util


class Items(flask_restful.Resource):
    def get(self):
        return []


def setup(app):
    util.mount(app, "items", [
        dict(where="svc.api.items", cls="Items", path="/all"),
    ])
