"""Projects API on flask-jwt-extended, configured with care: tokens only in
the Authorization header, 15-minute access tokens, and failed logins
throttled per client (429 with Retry-After).
"""
import os
import secrets
import sys
from datetime import timedelta

from flask import Flask, jsonify, request
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from werkzeug.security import check_password_hash, generate_password_hash

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = os.environ.get("JWT_SECRET_KEY") or secrets.token_hex(32)
app.config["JWT_TOKEN_LOCATION"] = ["headers"]
app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=15)
jwt = JWTManager(app)

USERS = {
    "alice": generate_password_hash("alice-pw", method="pbkdf2:sha256:1000"),
    "bob": generate_password_hash("bob-pw", method="pbkdf2:sha256:1000"),
}
PROJECTS = {
    1: {"id": 1, "owner": "alice", "name": "Apollo"},
    2: {"id": 2, "owner": "bob", "name": "Gemini"},
}


throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="client")


def locked_for(client):
    """Seconds the caller must wait, 0 when it may try again."""
    return throttle.retry_after(throttle.key())


def record_failure(client):
    """Count one failed attempt."""
    throttle.fail(throttle.key())


@app.post("/api/auth/login")
def login():
    client = request.remote_addr
    wait = locked_for(client)
    if wait:
        return jsonify(msg="Too many failed logins"), 429, {"Retry-After": str(wait)}
    body = request.get_json(silent=True) or {}
    user = body.get("username")
    if user not in USERS or not check_password_hash(USERS[user], str(body.get("password", ""))):
        record_failure(client)
        return jsonify(msg="Bad username or password"), 401
    return jsonify(access_token=create_access_token(identity=user))


@app.get("/api/me")
@jwt_required()
def me():
    return jsonify(username=get_jwt_identity())


@app.get("/api/projects")
@jwt_required()
def projects():
    user = get_jwt_identity()
    return jsonify(projects=[p for p in PROJECTS.values() if p["owner"] == user])


@app.get("/health")
def health():
    return jsonify(status="ok")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
