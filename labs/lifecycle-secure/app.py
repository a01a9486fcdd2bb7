"""Accounts service done right: the lifecycle mistakes of labs/lifecycle
fixed one by one.

- Logout puts the token's jti on a deny list; every token carries the
  account's token version, which a password change or reset bumps.
- Each route checks the token type (refresh tokens only at /api/auth/refresh).
- A password change needs the current password.
- Login hashes a dummy password for unknown users and throttles failures per
  account (429 with Retry-After); every failure reads the same.
- Forgot-password answers the same 202 for every name and mails a random
  single-use reset token that expires after 15 minutes.
- The web console clears the session and issues a new id at login.
"""
import hashlib
import os
import secrets
import sys
import threading
import time
from datetime import timedelta

from flask import Flask, jsonify, request, session
from flask.sessions import SessionInterface, SessionMixin
from flask_jwt_extended import (JWTManager, create_access_token, create_refresh_token,
                                get_jwt, get_jwt_identity, jwt_required)
from werkzeug.datastructures import CallbackDict

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

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
DUMMY = make_hash(secrets.token_hex(16))
VERSIONS = {name: 1 for name in USERS}
DENIED = set()
RESETS = {}
OUTBOX = []
NOTES = {"alice": ["buy milk"], "tess": ["test note"], "carol": []}
lock = threading.Lock()

throttle = labthrottle.Throttle(limit=20, window=60.0, lockout=2, scope="account")


def locked_for(name):
    """Seconds the caller must wait, 0 when it may try again."""
    return throttle.retry_after(throttle.key(account=name))


def record_failure(name):
    """Count one failed attempt."""
    throttle.fail(throttle.key(account=name))


def authenticate(user, password):
    """The account name when the password is right; the same work either way."""
    stored = USERS.get(user, DUMMY)
    ok = check(stored, password)
    return user if ok and user in USERS else None


def tokens_for(user):
    claims = {"tv": VERSIONS[user]}
    return create_access_token(identity=user, additional_claims=claims), \
        create_refresh_token(identity=user, additional_claims=claims)


@jwt.token_in_blocklist_loader
def revoked(jwt_header, jwt_payload):
    user = jwt_payload.get("sub")
    return jwt_payload["jti"] in DENIED or jwt_payload.get("tv") != VERSIONS.get(user)


def set_password(user, new):
    USERS[user] = make_hash(new)
    VERSIONS[user] += 1


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


def renew(s):
    """Drop the pre-login session and hand out a new id (no fixation)."""
    SESSIONS.pop(s.sid, None)
    s.clear()
    s.sid = secrets.token_urlsafe(24)


def credentials():
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    return str(body.get("username", "")), str(body.get("password", "")), body


def throttled(user):
    wait = locked_for(user)
    if wait:
        return jsonify(msg="Too many failed logins"), 429, {"Retry-After": str(wait)}
    return None


@app.post("/api/auth/login")
def login():
    user, password, _ = credentials()
    busy = throttled(user)
    if busy:
        return busy
    if authenticate(user, password) is None:
        record_failure(user)
        return jsonify(msg="Bad username or password"), 401
    access, refresh_token = tokens_for(user)
    return jsonify(access_token=access, refresh_token=refresh_token)


@app.post("/api/auth/refresh")
@jwt_required(refresh=True)
def refresh():
    user = get_jwt_identity()
    return jsonify(access_token=create_access_token(identity=user, additional_claims={"tv": VERSIONS[user]}))


@app.post("/api/auth/logout")
@jwt_required()
def logout():
    DENIED.add(get_jwt()["jti"])
    return jsonify(msg="logged out")


@app.get("/api/me")
@jwt_required()
def me():
    return jsonify(username=get_jwt_identity())


@app.get("/api/notes")
@jwt_required()
def notes():
    return jsonify(notes=NOTES.get(get_jwt_identity(), []))


@app.post("/api/account/password")
@jwt_required()
def change_password():
    _, _, body = credentials()
    user = get_jwt_identity()
    if not check(USERS[user], str(body.get("current_password", ""))):
        return jsonify(error="current_password is wrong"), 403
    new = str(body.get("new_password", ""))
    if len(new) < 8:
        return jsonify(error="new_password: at least 8 characters"), 400
    set_password(user, new)
    return jsonify(msg="password changed; sign in again")


@app.post("/api/password/forgot")
def forgot_password():
    user, _, _ = credentials()
    if user in USERS:
        token = secrets.token_urlsafe(32)
        RESETS[token] = (user, time.time() + 900)
        OUTBOX.append((user, token))
    return jsonify(msg="if the account exists, a reset link is on its way"), 202


@app.post("/api/password/reset")
def reset_password():
    _, _, body = credentials()
    entry = RESETS.pop(str(body.get("token", "")), None)
    new = str(body.get("new_password", ""))
    if entry is None or entry[1] < time.time():
        return jsonify(error="invalid or expired reset token"), 400
    if len(new) < 8:
        return jsonify(error="new_password: at least 8 characters"), 400
    set_password(entry[0], new)
    return jsonify(msg="password reset")


@app.get("/web/login")
def web_login_page():
    session["visits"] = session.get("visits", 0) + 1
    return jsonify(form=["username", "password"])


@app.post("/web/login")
def web_login():
    user, password, _ = credentials()
    busy = throttled("web:" + user)
    if busy:
        return busy
    if authenticate(user, password) is None:
        record_failure("web:" + user)
        return jsonify(error="bad credentials"), 401
    renew(session)
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
