"""Invoices API whose login issues an opaque API key (random hex, kept
server-side) that a before_request hook reads from an X-Api-Key header
(not the query string, which logs keep) for every /api/ route but the
login. A missing or unknown key is refused with a bare 403 {"error":
"forbidden"} that names no header, and there is no spec: only the code
says where the key goes. Logins and unknown keys are throttled. GET
/api/invoices lists the caller's invoices; GET /api/invoices/<id> does not
checks the owner: the same API done right. /health is public.

Run: PORT=5000 /usr/bin/python3 app.py
"""
import os
import secrets
import sys
import threading
from functools import wraps

from flask import Flask, g, jsonify, request

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
USERS = {"alice": "alice-pw", "bob": "bob-pw"}
INVOICES = {
    101: {"id": 101, "owner": "alice", "amount": 120.0, "customer": "Acme Ltd"},
    102: {"id": 102, "owner": "bob", "amount": 75.5, "customer": "Globex"},
}
SESSIONS = {}
lock = threading.Lock()
throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="client")
# Unknown keys per client and route: the 20th within 60 seconds locks the
# client out of that route for 5 seconds (429 + Retry-After).
guessing = labthrottle.Throttle(limit=20, window=60.0, lockout=5, scope="route")


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/api/login")
def login():
    wait = throttle.retry_after(throttle.key())
    if wait:
        return jsonify(error="too many attempts"), 429, {"Retry-After": str(wait)}
    body = request.get_json(silent=True) or {}
    user = str(body.get("username", ""))
    if user not in USERS or not secrets.compare_digest(USERS[user], str(body.get("password", ""))):
        throttle.fail(throttle.key())
        return jsonify(error="bad credentials"), 401
    token = secrets.token_hex(24)
    with lock:
        SESSIONS[token] = user
    return jsonify(token=token)


@app.before_request
def require_key():
    if not request.path.startswith("/api/") or request.path == "/api/login":
        return None
    wait = guessing.retry_after(guessing.key())
    if wait:
        return jsonify(error="too many attempts"), 429, {"Retry-After": str(wait)}
    with lock:
        user = SESSIONS.get(request.headers.get("X-Api-Key", ""))
    if user is None:
        guessing.fail(guessing.key())
        return jsonify(error="forbidden"), 403
    g.user = user
    return None


@app.get("/api/me")
def me():
    return jsonify(username=g.user)


@app.get("/api/invoices")
def invoices():
    return jsonify(invoices=[i for i in INVOICES.values() if i["owner"] == g.user])


@app.get("/api/invoices/<int:invoice_id>")
def invoice(invoice_id):
    inv = INVOICES.get(invoice_id)
    if inv is None or inv["owner"] != g.user:
        return jsonify(error="not found"), 404
    return jsonify(inv)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
