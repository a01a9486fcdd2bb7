"""Kiosk: a shop-floor API whose login takes a user name and nothing else.
POST /login {"username": ...} answers an HS256 JWT for any known user, so
whoever knows a colleague's name is that colleague. GET /api/me shows the
token's user; /health is public.

Run: PORT=5000 /usr/bin/python3 app.py
"""
import os
import secrets
import time

import jwt
from flask import Flask, jsonify, request

app = Flask(__name__)
SECRET = secrets.token_bytes(32)
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


@app.post("/login")
def login():
    body = request.get_json(silent=True) or {}
    user = str(body.get("username", ""))
    if user not in USERS:
        return jsonify(error="Unknown user."), 401
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
