"""Projects API on flask-jwt-extended — configured the quick way.

Tokens are read from the Authorization header and, for the CSV export links
the front end builds, from the ?jwt= query parameter; access tokens never
expire because the mobile app cannot refresh. Logins are not throttled.
"""
import os
import secrets

from flask import Flask, jsonify, request
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = os.environ.get("JWT_SECRET_KEY") or secrets.token_hex(32)
app.config["JWT_TOKEN_LOCATION"] = ["headers", "query_string"]  # want: py.jwtx-token-in-query
app.config["JWT_ACCESS_TOKEN_EXPIRES"] = False  # want: py.jwtx-no-expiry
jwt = JWTManager(app)

USERS = {
    "alice": generate_password_hash("alice-pw", method="pbkdf2:sha256:1000"),
    "bob": generate_password_hash("bob-pw", method="pbkdf2:sha256:1000"),
}
PROJECTS = {
    1: {"id": 1, "owner": "alice", "name": "Apollo"},
    2: {"id": 2, "owner": "bob", "name": "Gemini"},
}


@app.post("/api/auth/login")
def login():
    body = request.get_json(silent=True) or {}
    user = body.get("username")
    if user not in USERS or not check_password_hash(USERS[user], str(body.get("password", ""))):
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
