"""Badge desk, done right: the secure twin of labs/badge. POST /login takes a
user name and the user's PIN; failed logins are throttled per client (the
10th within a minute locks the client out for 1 s: 429 + Retry-After).

Run: PORT=5000 /usr/bin/python3 app.py
"""
import os
import secrets
import threading
import time

import jwt
from flask import Flask, jsonify, request

app = Flask(__name__)
SECRET = secrets.token_bytes(32)
PINS = {"alice": "48213", "bob": "90345"}
lock = threading.Lock()
failures, locked_until = {}, {}
USERS = {
    "alice": {"id": 1, "username": "alice", "station": "A1", "shift": "early"},
    "bob": {"id": 2, "username": "bob", "station": "B7", "shift": "late"},
}


def caller():
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer "):
        return None
    try:
        claims = jwt.decode(auth[7:], SECRET, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except jwt.PyJWTError:
        return None
    return claims["sub"] if claims["sub"] in USERS else None


@app.get("/health")
def health():
    return jsonify(status="ok")


def throttled(client):
    with lock:
        return locked_until.get(client, 0) > time.monotonic()


def failed(client):
    with lock:
        now = time.monotonic()
        recent = [t for t in failures.get(client, []) if now - t < 60] + [now]
        if len(recent) >= 10:
            locked_until[client], recent = now + 1, []
        failures[client] = recent


@app.post("/login")
def login():
    if throttled(request.remote_addr):
        resp = jsonify(error="Too many failed logins.")
        resp.status_code, resp.headers["Retry-After"] = 429, "1"
        return resp
    body = request.get_json(silent=True) or {}
    user, pin = str(body.get("username", "")), str(body.get("pin", ""))
    if user not in USERS or not secrets.compare_digest(PINS[user], pin):
        failed(request.remote_addr)
        return jsonify(error="Wrong user or PIN."), 401
    now = int(time.time())
    return jsonify(token=jwt.encode({"sub": user, "iat": now, "exp": now + 900}, SECRET, algorithm="HS256"))


@app.get("/api/me")
def me():
    user = caller()
    if user is None:
        return jsonify(error="Log in first."), 401
    return jsonify(USERS[user])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
