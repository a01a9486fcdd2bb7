"""Members API whose password reset trusts the caller: POST
/auth/password-reset takes an e-mail and a new password (JSON) and sets
it, with no token, code or old password. Logins issue opaque bearer
tokens and are throttled (429 + Retry-After); failed logins answer alike
for unknown and known e-mails.
"""
import os
import secrets
import sys
import threading

from flask import Flask, jsonify, request
from werkzeug.security import check_password_hash, generate_password_hash as _hash

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "..", "labs", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)


def generate_password_hash(pw):
    """A salted hash, cheap enough for a lab that is scanned often."""
    return _hash(pw, method="pbkdf2:sha256:1000")


lock = threading.Lock()
USERS = {
    "alice@example.com": {"name": "Alice", "hash": generate_password_hash("alice-pw-1")},
    "tess@example.com": {"name": "Tess", "hash": generate_password_hash("tess-pw-1")},
}
TOKENS = {}
DUMMY = generate_password_hash("no-such-account")  # unknown e-mails cost a hash check too
throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=5, scope="client")
guessing = labthrottle.Throttle(limit=20, window=60.0, lockout=5, scope="client")


def caller():
    """The caller's e-mail, None when unknown; "" when throttled."""
    if guessing.retry_after(guessing.key()):
        return ""
    auth = request.headers.get("Authorization", "")
    with lock:
        email = TOKENS.get(auth[7:]) if auth.startswith("Bearer ") else None
    if email is None and auth:
        guessing.fail(guessing.key())
    return email


@app.post("/auth/login")
def login():
    wait = throttle.retry_after(throttle.key())
    if wait:
        return labthrottle.too_many(wait)
    body = request.get_json(silent=True) or {}
    email, password = str(body.get("email", "")), str(body.get("password", ""))
    with lock:
        user = USERS.get(email)
        ok = check_password_hash(user["hash"] if user else DUMMY, password) and user is not None
    if not ok:
        throttle.fail(throttle.key())
        return jsonify(error="invalid e-mail or password"), 401
    token = secrets.token_urlsafe(32)
    with lock:
        TOKENS[token] = email
    return jsonify(access_token=token)


@app.get("/auth/me")
def me():
    email = caller()
    if email == "":
        return labthrottle.too_many(guessing.retry_after(guessing.key()))
    if email is None:
        return jsonify(error="authentication required"), 401
    with lock:
        return jsonify(email=email, name=USERS[email]["name"])


@app.post("/auth/password-reset")
def password_reset():
    body = request.get_json(silent=True) or {}
    email, new_password = str(body.get("email", "")), str(body.get("new_password", ""))
    if not email or len(new_password) < 8:
        return jsonify(errors={"email": "required", "new_password": "at least 8 characters"}), 422
    with lock:
        if email in USERS:
            USERS[email]["hash"] = generate_password_hash(new_password)
    return jsonify(message="if the account exists, its password was changed")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
