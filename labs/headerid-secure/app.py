"""Help Desk, done right: the secure twin of labs/headerid. Failed logins
are throttled per client (the 10th within a minute locks the client out for
1 s: 429 + Retry-After), and the X-User header clients send is checked
against the user of a signed session cookie the login sets: a client
naming another user in it is refused.

Help Desk: a ticket API. POST /login checks a password and answers
{"success": true}; the caller then names itself in an X-User header.
Every refusal is HTTP 200 with {"success": false}.


Run: PORT=5000 /usr/bin/python3 app.py
"""
import os
import threading
import time

from flask import Flask, jsonify, request, session
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.secret_key = os.urandom(32)
PASSWORDS = {name: generate_password_hash(name + "-pw") for name in ("alice", "bob")}
TICKETS = {
    "alice": [{"id": 11, "title": "VPN drops every hour"}],
    "bob": [{"id": 21, "title": "Printer on floor 3 jams"}],
}
lock = threading.Lock()
failures, locked_until = {}, {}


def locked(client):
    with lock:
        return locked_until.get(client, 0) > time.monotonic()


def failed(client):
    with lock:
        now = time.monotonic()
        recent = [t for t in failures.get(client, []) if now - t < 60] + [now]
        if len(recent) >= 10:
            locked_until[client], recent = now + 1, []
        failures[client] = recent


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/login")
def login():
    if locked(request.remote_addr):
        resp = jsonify(success=False, error="Too many failed logins.")
        resp.status_code = 429
        resp.headers["Retry-After"] = "1"
        return resp
    body = request.get_json(silent=True) or {}
    user, password = str(body.get("username", "")), str(body.get("password", ""))
    if user not in PASSWORDS or not check_password_hash(PASSWORDS[user], password):
        failed(request.remote_addr)
        return jsonify(success=False, error="Wrong username or password.")
    session["user"] = user
    return jsonify(success=True, message="Logged in; send X-User from now on.")


@app.get("/tickets")
def tickets():
    user = session.get("user")
    if user is None:
        return jsonify(success=False, error="Log in first.")
    if request.headers.get("X-User", user) != user:
        return jsonify(success=False, error="X-User does not match your session.")
    return jsonify(success=True, tickets=TICKETS[user])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
