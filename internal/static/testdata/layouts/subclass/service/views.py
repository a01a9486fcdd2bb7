import hmac
import os

from flask import Blueprint, abort, request

api = Blueprint("api", __name__)


@api.before_request
def require_key():
    key = request.headers.get("X-Api-Key", "")
    if not hmac.compare_digest(key, os.environ["SERVICE_KEY"]):
        abort(401)


@api.get("/reports")
def reports():
    return {"reports": []}


@api.route("/reports/<int:rid>", methods=["DELETE"])
def delete_report(rid):
    return "", 204
