import hmac
import os

from flask import abort, request
from flask_restful import Resource

from service.base import ApiExt

api = ApiExt()


def require_api_key(view):
    def wrapper(*args, **kwargs):
        if not hmac.compare_digest(request.headers.get("X-Api-Key", ""), os.environ.get("SERVICE_KEY", "")):
            abort(401)
        return view(*args, **kwargs)

    return wrapper


class AuthedResource(Resource):
    method_decorators = [require_api_key]


class QueryList(AuthedResource):
    def get(self):
        return []

    def post(self):
        return {}, 201


class Query(AuthedResource):
    def get(self, query_id):
        return {"id": query_id}


@api.resource("/api/status")
class Status(Resource):
    def get(self):
        return {"ok": True}


api.add_org_resource(QueryList, "/api/queries", endpoint="queries")
api.add_org_resource(Query, "/api/queries/<int:query_id>", "/api/q/<int:query_id>", endpoint="query")
