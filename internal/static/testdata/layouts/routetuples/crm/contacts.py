from flask import Blueprint
from flask.views import MethodView

from crm.api import configure_api_from_blueprint


class Contacts(MethodView):
    def get(self):
        return []

    def post(self):
        return {}, 201


class Contact(MethodView):
    def get(self, cid):
        return {}


routes = [
    ("/contacts", Contacts),
    ("/contacts/<int:cid>", Contact),
    ("/people/<int:cid>", Contact),
]

blueprint = Blueprint("contacts", __name__)
configure_api_from_blueprint(blueprint, routes)
