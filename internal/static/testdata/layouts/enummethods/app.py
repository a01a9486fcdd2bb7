import enum
import http
from http import HTTPMethod

from flask import Blueprint, Flask


class Verb(str, enum.Enum):
    PATCH = "PATCH"


bp = Blueprint("items", __name__, url_prefix="/items")


@bp.route("/<int:item_id>", methods=[http.HTTPMethod.GET, http.HTTPMethod.PUT])
def item(item_id):
    return str(item_id)


@bp.route("/<int:item_id>/flag", methods=[Verb.PATCH])
def flag(item_id):
    return "", 204


def drop(item_id):
    return "", 204


bp.add_url_rule("/<int:item_id>", "drop", drop, methods=(HTTPMethod.DELETE,))

app = Flask(__name__)
app.register_blueprint(bp)
