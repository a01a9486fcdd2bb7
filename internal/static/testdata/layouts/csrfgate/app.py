"""A CSRF hook on the app and an API-key hook on a blueprint."""
import hmac
import os

from flask import Blueprint, Flask, abort, jsonify, request, session

app = Flask(__name__)
app.secret_key = os.environ.get("SECRET_KEY")
svc = Blueprint("svc", __name__, url_prefix="/svc")


@app.before_request
def check_csrf():
    if request.method != "POST":
        return None
    expected = session.get("_csrf")
    sent = request.headers.get("X-CSRF-Token") or request.form.get("_csrf")
    if not expected or not hmac.compare_digest(expected, sent or ""):
        app.logger.warning("csrf mismatch, expected %s", expected)
        abort(403)
    return None


@svc.before_request
def check_service_key():
    if not hmac.compare_digest(request.headers.get("X-Service-Key", ""), os.environ.get("SERVICE_KEY", "")):
        abort(401)


@app.post("/login")
def login():
    return jsonify(ok=True)


@svc.get("/jobs")
def jobs():
    return jsonify(jobs=[])


app.register_blueprint(svc)
