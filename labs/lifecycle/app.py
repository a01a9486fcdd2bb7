"""Accounts service: JWT sessions on flask-jwt-extended for the API and a
server-side cookie session for the web console, with the account and session
lifecycle done the quick way.

- Logout answers "logged out" and revokes nothing: the token keeps working.
- A password change does not ask for the current password and leaves every
  token issued before it valid.
- /api/notes takes any token type (verify_type=False): a refresh token works
  as an access token; /api/auth/refresh does the same, so an access token
  buys a new one forever.
- Login answers unknown users before hashing anything: same message, but
  measurably faster than for a real account.
- The forgot-password route says "no such user" (404) and returns the reset
  code, a six-digit number that stays valid after use.
- The web console keeps the session id it handed out before login.
"""
import hashlib
import os
import random
import secrets
from datetime import timedelta

from flask import Flask, jsonify, request, session
from flask.sessions import SessionInterface, SessionMixin
from flask_jwt_extended import (JWTManager, create_access_token, create_refresh_token,
                                get_jwt_identity, jwt_required)
from werkzeug.datastructures import CallbackDict

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = os.environ.get("JWT_SECRET_KEY") or secrets.token_hex(32)
app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=15)
jwt = JWTManager(app)

ITERATIONS = 50_000


def make_hash(password):
    salt = secrets.token_bytes(16)
    return salt, hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS)


def check(stored, password):
    salt, digest = stored
    return secrets.compare_digest(hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS), digest)


USERS = {"alice": make_hash("alice-pw-1"), "tess": make_hash("tess-pw-1"), "carol": make_hash("carol-pw-1")}
RESETS = {}
NOTES = {"alice": ["buy milk"], "tess": ["test note"], "carol": []}


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, sid, data=None):
        def on_update(s):
            s.modified = True
        super().__init__(data or {}, on_update)
        self.sid = sid
        self.modified = False


SESSIONS = {}


class ServerSessions(SessionInterface):
    """Sessions kept in memory, the browser holding only their id."""

    def open_session(self, app, request):
        sid = request.cookies.get("sid")
        if sid in SESSIONS:
            return ServerSession(sid, SESSIONS[sid])
        return ServerSession(secrets.token_urlsafe(24))

    def save_session(self, app, session, response):
        if session.modified or session.sid not in SESSIONS:
            SESSIONS[session.sid] = dict(session)
            response.set_cookie("sid", session.sid, httponly=True, samesite="Lax")


app.session_interface = ServerSessions()


def credentials():
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    return str(body.get("username", "")), str(body.get("password", "")), body


@app.post("/api/auth/login")
def login():
    user, password, _ = credentials()
    if user not in USERS:
        return jsonify(msg="Bad username or password"), 401
    if not check(USERS[user], password):
        return jsonify(msg="Bad username or password"), 401
    return jsonify(access_token=create_access_token(identity=user),
                   refresh_token=create_refresh_token(identity=user))


@app.post("/api/auth/refresh")
@jwt_required(verify_type=False)  # want: py.jwtx-verify-type-off
def refresh():
    return jsonify(access_token=create_access_token(identity=get_jwt_identity()))


@app.post("/api/auth/logout")
@jwt_required()
def logout():
    return jsonify(msg="logged out")


@app.get("/api/me")
@jwt_required()
def me():
    return jsonify(username=get_jwt_identity())


@app.get("/api/notes")
@jwt_required(verify_type=False)  # want: py.jwtx-verify-type-off
def notes():
    return jsonify(notes=NOTES.get(get_jwt_identity(), []))


@app.post("/api/account/password")
@jwt_required()
def change_password():
    _, _, body = credentials()
    new = str(body.get("new_password", ""))
    if len(new) < 8:
        return jsonify(error="new_password: at least 8 characters"), 400
    USERS[get_jwt_identity()] = make_hash(new)
    return jsonify(msg="password changed")


@app.post("/api/password/forgot")
def forgot_password():
    user, _, _ = credentials()
    if user not in USERS:
        return jsonify(error="no such user"), 404
    code = f"{random.randint(0, 999999):06d}"
    RESETS[code] = user
    return jsonify(msg="reset code sent", reset_token=code)


@app.post("/api/password/reset")
def reset_password():
    _, _, body = credentials()
    user = RESETS.get(str(body.get("token", "")))
    new = str(body.get("new_password", ""))
    if user is None:
        return jsonify(error="invalid or expired reset token"), 400
    if len(new) < 8:
        return jsonify(error="new_password: at least 8 characters"), 400
    USERS[user] = make_hash(new)
    return jsonify(msg="password reset")


@app.get("/web/login")
def web_login_page():
    session["visits"] = session.get("visits", 0) + 1
    return jsonify(form=["username", "password"])


@app.post("/web/login")
def web_login():
    user, password, _ = credentials()
    if user not in USERS or not check(USERS[user], password):
        return jsonify(error="bad credentials"), 401
    session["user"] = user
    return jsonify(msg="welcome")


@app.get("/web/home")
def web_home():
    user = session.get("user")
    if not user:
        return jsonify(error="login required"), 401
    return jsonify(user=user, notes=NOTES.get(user, []))


@app.get("/health")
def health():
    return jsonify(status="ok")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
