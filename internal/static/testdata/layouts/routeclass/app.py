# @bp.route / @app.route on a MethodView class (flask-smorest's way of
# declaring a resource; Flask's own route registers the class too, under
# its name, with the methods the class defines).
from flask import Blueprint, Flask
from flask.views import MethodView

items = Blueprint("items", __name__)


@items.route("/items")
class ItemCollection(MethodView):
    def get(self):
        return "list"

    def post(self):
        return "made", 201


@items.route("/items/<int:item_id>")
class ItemOne(MethodView):
    def get(self, item_id):
        return str(item_id)

    def delete(self, item_id):
        return "", 204


app = Flask(__name__)


@app.route("/status")
class Status(MethodView):
    def get(self):
        return "ok"


app.register_blueprint(items, url_prefix="/v1")
