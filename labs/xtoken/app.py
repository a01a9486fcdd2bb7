"""Notes API in the shape of many Flask tutorials: the JWT travels in a
custom X-Access-Token header (no scheme), logins are throttled. One token
bug per route. GET /api/admin/reset reseeds the data (a GET that changes
state); the lab counts its calls at GET /__lab/status (not in the spec).
"""
import base64
import json
import os
import secrets
import sys
import threading
import time
from functools import wraps

import jwt
from flask import Flask, g, jsonify, request

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
SECRET = os.environ.get("NOTES_SECRET") or secrets.token_hex(32)
TOKEN_TTL = 900
LEEWAY = 30
USERS = {"alice": "alice-pw", "bob": "bob-pw"}
lock = threading.Lock()
stats = {"reset_calls": 0}
NOTES = {}


def seed():
    with lock:
        NOTES.clear()
        NOTES.update({
            1: {"id": 1, "owner": "alice", "title": "groceries", "body": "eggs, milk"},
            2: {"id": 2, "owner": "bob", "title": "todo", "body": "call the bank"},
        })


seed()

throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="client")


def locked_for(client):
    """Seconds the caller must wait, 0 when it may try again."""
    return throttle.retry_after(throttle.key())


def record_failure(client):
    """Count one failed attempt."""
    throttle.fail(throttle.key())


@app.post("/api/login")
def login():
    wait = locked_for(request.remote_addr)
    if wait:
        return jsonify(message="too many attempts"), 429, {"Retry-After": str(wait)}
    body = request.get_json(silent=True) or {}
    user = str(body.get("username", ""))
    if user not in USERS or not secrets.compare_digest(USERS[user], str(body.get("password", ""))):
        record_failure(request.remote_addr)
        return jsonify(message="bad credentials"), 401
    now = int(time.time())
    token = jwt.encode({"sub": user, "iat": now, "exp": now + TOKEN_TTL}, SECRET, algorithm="HS256")
    return jsonify(token=token)


def access_token():
    return request.headers.get("X-Access-Token")


def check_claims(claims):
    now = time.time()
    for k in ("exp", "iat", "sub"):
        if k not in claims:
            raise jwt.MissingRequiredClaimError(k)
    if not isinstance(claims["exp"], (int, float)) or claims["exp"] < now - LEEWAY:
        raise jwt.ExpiredSignatureError("expired")
    if not isinstance(claims["iat"], (int, float)) or claims["iat"] > now + LEEWAY:
        raise jwt.ImmatureSignatureError("iat in the future")
    if "nbf" in claims and claims["nbf"] > now + LEEWAY:
        raise jwt.ImmatureSignatureError("not yet valid")
    if claims["sub"] not in USERS:
        raise jwt.InvalidTokenError("unknown user")
    return claims["sub"]


def token_required(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        token = access_token()
        if not token:
            return jsonify(message="token is missing"), 401
        try:
            g.user = check_claims(jwt.decode(token, SECRET, algorithms=["HS256"], leeway=LEEWAY,
                                                  options={"require": ["exp", "iat", "sub"]}))
        except jwt.InvalidTokenError:
            return jsonify(message="token is invalid"), 401
        return fn(*args, **kwargs)
    return wrapper


@app.get("/api/me")
@token_required
def me():
    return jsonify(username=g.user)


@app.get("/api/notes")
@token_required
def notes():
    return jsonify(notes=[n for n in NOTES.values() if n["owner"] == g.user])


@app.get("/api/reports")
def reports():
    token = access_token()
    if not token:
        return jsonify(message="token is missing"), 401
    try:
        claims = jwt.decode(token, SECRET, algorithms=["HS256"],
                            options={"verify_signature": False})  # want: py.jwt-unverified
        user = check_claims(claims)
    except jwt.InvalidTokenError:
        return jsonify(message="token is invalid"), 401
    mine = [n for n in NOTES.values() if n["owner"] == user]
    return jsonify(generated_for=user, notes=len(mine))


def b64decode(segment):
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def verify_device_token(token):
    """Kiosk devices send unsigned tokens from the office network."""
    try:
        head, body, _ = token.split(".")
        header, claims = json.loads(b64decode(head)), json.loads(b64decode(body))
    except ValueError:
        raise jwt.DecodeError("malformed")
    if str(header.get("alg", "")).lower() == "none":  # want: py.jwt-alg-none
        return check_claims(claims)
    return check_claims(jwt.decode(token, SECRET, algorithms=["HS256"], leeway=LEEWAY))


@app.get("/api/notes/<int:note_id>")
def note(note_id):
    token = access_token()
    if not token:
        return jsonify(message="token is missing"), 401
    try:
        user = verify_device_token(token)
    except jwt.InvalidTokenError:
        return jsonify(message="token is invalid"), 401
    n = NOTES.get(note_id)
    if n is None or n["owner"] != user:
        return jsonify(message="note not found"), 404
    return jsonify(n)


@app.get("/api/admin/reset")
@token_required
def reset():
    # Reseeds every note: a GET that changes state.
    with lock:
        stats["reset_calls"] += 1
    seed()
    return jsonify(status="reset")


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/__lab/status")
def lab_stats():
    return jsonify(stats)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
