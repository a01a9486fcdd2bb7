"""Help Desk: a ticket API whose login issues nothing. POST /login checks a
password and answers {"success": true}; from then on the caller names
itself in an X-User header, which is honoured for users who logged in from
that client address. Every refusal is HTTP 200 with {"success": false}.

Its flaws: failed logins are not throttled, and X-User is trusted as sent:
any client at an address where someone logged in (a shared office NAT, a
proxy) reads that user's tickets by naming them. /health is public.

Run: PORT=5000 /usr/bin/python3 app.py
"""
import os
import threading

from flask import Flask, jsonify, request
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
PASSWORDS = {name: generate_password_hash(name + "-pw") for name in ("alice", "bob")}
TICKETS = {
    "alice": [{"id": 11, "title": "VPN drops every hour"}],
    "bob": [{"id": 21, "title": "Printer on floor 3 jams"}],
}
logged_in = set()
lock = threading.Lock()


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/login")
def login():
    body = request.get_json(silent=True) or {}
    user, password = str(body.get("username", "")), str(body.get("password", ""))
    if user not in PASSWORDS or not check_password_hash(PASSWORDS[user], password):
        return jsonify(success=False, error="Wrong username or password.")
    with lock:
        logged_in.add((request.remote_addr, user))
    return jsonify(success=True, message="Logged in; send X-User from now on.")


@app.get("/tickets")
def tickets():
    user = request.headers.get("X-User", "")
    if (request.remote_addr, user) not in logged_in:
        return jsonify(success=False, error="Log in first.")
    return jsonify(success=True, tickets=TICKETS[user])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
