# A helper given a table of rows of two or three fields, unpacked in the
# loop body under len() conditions; the view class comes out of the row
# (Cls.as_view(endpoint)), the endpoint from the class name or the row.
# Beside it, rows spread into the call: pages.add_url_rule(*row).
from flask import Blueprint, Flask
from flask.views import MethodView


class Ping(MethodView):
    def get(self):
        return "pong"


class Items(MethodView):
    def get(self):
        return []

    def post(self):
        return {}, 201


class Item(MethodView):
    def get(self, item_id):
        return {}

    def delete(self, item_id):
        return "", 204


ROWS = [
    ("/ping", Ping),
    ("/items", Items, "items_list"),
    ("/items/<int:item_id>", Item, "item"),
]


def setup(blueprint, rows):
    for row in rows:
        if len(row) == 2:
            rule, view_cls = row
            endpoint = view_cls.__name__.lower()
        elif len(row) == 3:
            rule, view_cls, endpoint = row
        else:
            raise ValueError(row)
        blueprint.add_url_rule(rule, view_func=view_cls.as_view(endpoint))


def about():
    return "about"


def contact():
    return "contact"


PAGES = (
    ("/about", "about", about),
    ("/contact", "contact", contact),
)

bp = Blueprint("api", __name__)
setup(bp, ROWS)
pages = Blueprint("pages", __name__)
for row in PAGES:
    pages.add_url_rule(*row)
app = Flask(__name__)
app.register_blueprint(bp, url_prefix="/api")
app.register_blueprint(pages)
