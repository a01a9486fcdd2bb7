import importlib

import flask
import flask_restful


class OrderList(flask_restful.Resource):
    def get(self):
        return []


class Order(flask_restful.Resource):
    def get(self, oid):
        return {}

    def put(self, oid):
        return {}


class Receipt(flask_restful.Resource):
    def get(self, oid):
        return {}


class Table:
    ROWS = (("OrderList", ""), ("Order", "/<int:oid>"))


def extra_rows():
    return [{"cls": "Receipt", "path": "/<int:oid>/receipt"}]


def setup(app):
    bp = flask.Blueprint("orders", __name__)
    api = flask_restful.Api(bp)
    here = importlib.import_module(__name__)
    for name, path in Table.ROWS:
        api.add_resource(getattr(here, name), path)
    [api.add_resource(getattr(here, r["cls"]), r["path"]) for r in extra_rows()]
    app.register_blueprint(bp, url_prefix="/orders")
