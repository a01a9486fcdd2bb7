"""Badge desk: a visitor API whose login mints a token for whatever name it
is sent. POST /login {"username": ...} answers an HS256 JWT for any name at
all, known or not, and asks for no secret, so anyone can be any visitor.
GET /api/me shows the token's visitor and their visits; /health is public.
(Held-out-informed lab, not evidence.)

Run: PORT=5000 /usr/bin/python3 app.py
"""
import os
import secrets
import time

import jwt
from flask import Flask, jsonify, request

app = Flask(__name__)
SECRET = secrets.token_bytes(32)
VISITS = {
    "alice": [{"id": 11, "host": "R&D", "day": "2026-11-02"}],
    "bob": [{"id": 12, "host": "Sales", "day": "2026-11-03"}],
}


def caller():
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer "):
        return None
    try:
        claims = jwt.decode(auth[7:], SECRET, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except jwt.PyJWTError:
        return None
    return claims["sub"]


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/login")
def login():
    body = request.get_json(silent=True) or {}
    user = str(body.get("username", ""))
    if not user:
        return jsonify(error="Say who you are."), 400
    now = int(time.time())
    return jsonify(token=jwt.encode({"sub": user, "iat": now, "exp": now + 900}, SECRET, algorithm="HS256"))


@app.get("/api/me")
def me():
    user = caller()
    if user is None:
        return jsonify(error="Log in first."), 401
    return jsonify(username=user, visits=VISITS.get(user, []))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
