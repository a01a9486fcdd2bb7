from flask import Blueprint
from flask.views import MethodView

from forum.helpers import register_view


class Topics(MethodView):
    def get(self):
        return []


class Topic(MethodView):
    def get(self, tid):
        return {}

    def delete(self, tid):
        return "", 204


def load_blueprints(app):
    forum = Blueprint("forum", __name__)
    register_view(forum, routes=["/topics", "/t"], view_func=Topics.as_view("topics"))
    register_view(forum, routes=["/topics/<int:tid>"], view_func=Topic.as_view("topic"))
    register_view(app, routes=["/about"], view_func=Topics.as_view("about"))
    app.register_blueprint(forum, url_prefix=app.config["FORUM_URL_PREFIX"])
