from flask import Blueprint

blueprint = Blueprint("tags", __name__)


@blueprint.route("/tags")
def tags():
    return "[]"
