"""Staff Portal: a payroll API whose handlers take who the caller is from
values the client sets. POST /login checks a password and answers an
opaque bearer token (failed logins and bad tokens are throttled per client).

Its flaws, one root cause each:
  GET /api/profile     honours an X-User header as sent: a user names
                       another and reads their profile and salary;
  GET /api/admin/stats serves anyone whose X-Role header says "admin";
  GET /api/dashboard   takes the user from a plain `user` cookie.
GET /api/me (the token's own user) and /health are correct.

Run: PORT=5000 /usr/bin/python3 app.py
"""
import os
import secrets
import threading
import time

from flask import Flask, jsonify, request

app = Flask(__name__)
USERS = {
    "alice": {"id": 1, "username": "alice", "email": "alice@example.com", "role": "staff", "salary": 5100},
    "bob": {"id": 2, "username": "bob", "email": "bob@example.com", "role": "staff", "salary": 4700},
    "carol": {"id": 3, "username": "carol", "email": "carol@example.com", "role": "admin", "salary": 6900},
}
PASSWORDS = {name: name + "-pw" for name in USERS}
TOKENS = {}
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
    user = TOKENS.get(auth[7:])
    if user is None:
        failed(request.remote_addr)  # token guessing is throttled as logins are
    return user


@app.before_request
def slow_down():
    if request.path != "/health" and throttled(request.remote_addr):
        resp = jsonify(error="Too many failed attempts.")
        resp.status_code, resp.headers["Retry-After"] = 429, "1"
        return resp


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/login")
def login():
    body = request.get_json(silent=True) or {}
    user, password = str(body.get("username", "")), str(body.get("password", ""))
    if PASSWORDS.get(user) is None or not secrets.compare_digest(PASSWORDS[user], password):
        failed(request.remote_addr)
        return jsonify(error="Wrong username or password."), 401
    token = secrets.token_urlsafe(24)
    TOKENS[token] = user
    return jsonify(token=token)


@app.get("/api/me")
def me():
    user = caller()
    if user is None:
        return jsonify(error="Log in first."), 401
    return jsonify(USERS[user])


@app.get("/api/profile")
def profile():
    user = caller()
    if user is None:
        return jsonify(error="Log in first."), 401
    name = request.headers.get("X-User", user)
    if name not in USERS:
        return jsonify(error="No such user."), 404
    return jsonify(USERS[name])


@app.get("/api/admin/stats")
def admin_stats():
    if request.headers.get("X-Role") != "admin":
        return jsonify(error="Admins only."), 403
    return jsonify(users=len(USERS), payroll=sum(u["salary"] for u in USERS.values()))


@app.get("/api/dashboard")
def dashboard():
    name = request.cookies.get("user") or caller()
    if name not in USERS:
        return jsonify(error="Log in first."), 401
    return jsonify(user=name, salary=USERS[name]["salary"])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
