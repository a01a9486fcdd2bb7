"""Staff Portal: a payroll API whose handlers take who the caller is from
values the client sets. POST /login checks a password and answers an
HS256 JWT (failed logins are throttled per client).

Its flaws, one root cause each:
  GET /api/profile     honours an X-User header as sent: a user names
                       another and reads their profile and salary;
  GET /api/admin/stats serves anyone whose X-Role header says "admin";
  GET /api/dashboard   takes the user from a plain `user` cookie;
  POST /api/notes      sets the owner to the caller, then merges the body
                       over it: {"owner": "bob"} files a note as bob's.
GET /api/me (the token's own user) and /health are correct.

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
    name = request.headers.get("X-User", user)
    if name not in USERS:
        return jsonify(error="No such user."), 404
    return jsonify(USERS[name])


@app.get("/api/admin/stats")  # want: py.route-missing-auth
def admin_stats():
    if request.headers.get("X-Role") != "admin":
        labrefusal.mark()
        return jsonify(error="Admins only."), 403
    return jsonify(users=len(USERS), payroll=sum(u["salary"] for u in USERS.values()))


@app.get("/api/dashboard")
def dashboard():
    name = request.cookies.get("user") or caller()
    if name not in USERS:
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
    note = {"owner": user}
    note.update(request.get_json(silent=True) or {})
    if not note.get("text"):
        return jsonify(error="text is required"), 400
    NOTES.append({**note, "id": len(NOTES) + 1})
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
