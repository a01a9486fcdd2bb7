from flask import Blueprint
from flask_restful import Api

api_bp = Blueprint("api", __name__)
api = Api(api_bp)


def resource(*urls, **kwargs):
    """Registers the decorated Resource class under urls."""

    def wrapper(api_resource):
        api.add_resource(api_resource, *urls, **kwargs)
        return api_resource

    return wrapper


from reg import users  # noqa: E402,F401  (registers its resources)
