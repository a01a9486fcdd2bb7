from flask import Blueprint
from flask.views import MethodView

from crm.api import configure_api_from_blueprint


class Deals(MethodView):
    def get(self):
        return []


routes = [("/deals", Deals)]

blueprint = Blueprint("deals", __name__)
configure_api_from_blueprint(blueprint, routes)
