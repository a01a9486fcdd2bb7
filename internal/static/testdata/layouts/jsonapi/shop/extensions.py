from flask import Blueprint
from flask_rest_jsonapi import Api

v2 = Blueprint("v2", __name__, url_prefix="/api/v2")
admin = Blueprint("admin", __name__, url_prefix="/admin")
api = Api()
