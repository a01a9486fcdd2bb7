"""Staff Portal, done right: the secure twin of labs/spoofid. The caller is
the bearer token's user everywhere: an X-User header naming anyone else is
refused, X-Role is ignored (the role is the user record's), and the `user`
cookie is ignored; a note's owner is always the caller.

Its gates' refusals take the style REFUSAL selects (labs/_lib/labrefusal.py).

Run: PORT=5000 /usr/bin/python3 app.py
"""
import os
import secrets
import sys
import threading
import time

import jwt
from flask import Flask, jsonify, request

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labrefusal  # noqa: E402  (labs/_lib: refusal styles, REFUSAL=...)

app = Flask(__name__)
labrefusal.install(app)
USERS = {
    "alice": {"id": 1, "username": "alice", "email": "alice@example.com", "role": "staff", "salary": 5100},
    "bob": {"id": 2, "username": "bob", "email": "bob@example.com", "role": "staff", "salary": 4700},
    "carol": {"id": 3, "username": "carol", "email": "carol@example.com", "role": "admin", "salary": 6900},
}
PASSWORDS = {name: name + "-pw" for name in USERS}
SECRET = secrets.token_bytes(32)
lock = threading.Lock()
failures, locked_until = {}, {}


def throttled(client):
    with lock:
        now = time.monotonic()
        if locked_until.get(client, 0) > now:
            return True
        return False


def failed(client):
    with lock:
        now = time.monotonic()
        recent = [t for t in failures.get(client, []) if now - t < 60] + [now]
        if len(recent) >= 10:
            locked_until[client], recent = now + 1, []
        failures[client] = recent


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
    if throttled(request.remote_addr):
        resp = jsonify(error="Too many failed logins.")
        resp.status_code, resp.headers["Retry-After"] = 429, "1"
        return resp
    body = request.get_json(silent=True) or {}
    user, password = str(body.get("username", "")), str(body.get("password", ""))
    if PASSWORDS.get(user) is None or not secrets.compare_digest(PASSWORDS[user], password):
        failed(request.remote_addr)
        return jsonify(error="Wrong username or password."), 401
    now = int(time.time())
    return jsonify(token=jwt.encode({"sub": user, "iat": now, "exp": now + 900}, SECRET, algorithm="HS256"))


@app.get("/api/me")
def me():
    user = caller()
    if user is None:
        labrefusal.mark()
        return jsonify(error="Log in first."), 401
    return jsonify(USERS[user])


@app.get("/api/profile")
def profile():
    user = caller()
    if user is None:
        labrefusal.mark()
        return jsonify(error="Log in first."), 401
    if request.headers.get("X-User", user) != user:
        labrefusal.mark()
        return jsonify(error="X-User does not match your token."), 403
    return jsonify(USERS[user])


@app.get("/api/admin/stats")
def admin_stats():
    user = caller()
    if user is None or USERS[user]["role"] != "admin":
        labrefusal.mark()
        return jsonify(error="Admins only."), 403
    return jsonify(users=len(USERS), payroll=sum(u["salary"] for u in USERS.values()))


@app.get("/api/dashboard")
def dashboard():
    name = caller()
    if name is None:
        labrefusal.mark()
        return jsonify(error="Log in first."), 401
    return jsonify(user=name, salary=USERS[name]["salary"])


NOTES = []


@app.post("/api/notes")
def add_note():
    user = caller()
    if user is None:
        labrefusal.mark()
        return jsonify(error="Log in first."), 401
    body = request.get_json(silent=True) or {}
    if not body.get("text"):
        return jsonify(error="text is required"), 400
    NOTES.append({"text": str(body.get("text")), "owner": user, "id": len(NOTES) + 1})
    return jsonify(id=len(NOTES)), 201


@app.get("/api/notes")
def notes():
    user = caller()
    if user is None:
        labrefusal.mark()
        return jsonify(error="Log in first."), 401
    return jsonify(notes=[n for n in NOTES if n["owner"] == user])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
