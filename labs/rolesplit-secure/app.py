"""The team roster of labs/rolesplit done right: GET /api/admin/users opens
with the role check its sibling GET /api/admin/audit makes. No role is in
the scan config; the records' own role fields make root the reference, and
members are refused both: tested and held.

Run: PORT=5000 /usr/bin/python3 app.py
"""
import os
import secrets
import sqlite3
import sys
import threading
from functools import wraps

from flask import Flask, g, jsonify, request

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
db = sqlite3.connect(":memory:", check_same_thread=False)
db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT UNIQUE, password TEXT, role TEXT)")
db.executemany("INSERT INTO users (username, password, role) VALUES (?, ?, ?)", [
    ("root", "root-pw-73", "admin"), ("ann", "ann-pw-73", "member"), ("bob", "bob-pw-73", "member")])
TOKENS = {}
lock = threading.Lock()
throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="route")
guessing = labthrottle.Throttle(limit=20, window=60.0, lockout=5, scope="route")


@app.get("/health")  # authprobe: ignore[py.route-missing-auth] -- liveness probe, public by design
def health():
    return jsonify(status="ok")


@app.post("/api/login")
def login():
    wait = throttle.retry_after(throttle.key())
    if wait:
        return labthrottle.too_many(wait, msg="too many attempts")
    data = request.get_json(silent=True) or {}
    with lock:
        row = db.execute("SELECT username FROM users WHERE username = ? AND password = ?",
                         (str(data.get("username", "")), str(data.get("password", "")))).fetchone()
    if row is None:
        throttle.fail(throttle.key())
        return jsonify(error="bad credentials"), 401
    token = secrets.token_hex(24)
    TOKENS[token] = row[0]
    return jsonify(token=token)


def login_required(view):
    @wraps(view)
    def wrapper(*a, **kw):
        wait = guessing.retry_after(guessing.key())
        if wait:
            return labthrottle.too_many(wait, msg="too many attempts")
        name = TOKENS.get(request.headers.get("Authorization", "").removeprefix("Bearer "))
        if name is None:
            guessing.fail(guessing.key())
            return jsonify(error="unauthorized"), 401
        with lock:
            g.user = db.execute("SELECT username, role FROM users WHERE username = ?", (name,)).fetchone()
        return view(*a, **kw)
    return wrapper


@app.get("/api/me")
@login_required
def me():
    return jsonify(username=g.user[0], role=g.user[1])


@app.get("/api/users")
@login_required
def users():
    with lock:
        return jsonify(db.execute("SELECT id, username FROM users").fetchall())


@app.get("/api/admin/users")
@login_required
def admin_users():
    if g.user[1] != "admin":
        return jsonify(error="admins only"), 403
    with lock:
        rows = db.execute("SELECT id, username, role FROM users").fetchall()
    return jsonify(users=[{"id": r[0], "username": r[1], "role": r[2]} for r in rows])


@app.get("/api/admin/audit")
@login_required
def admin_audit():
    if g.user[1] != "admin":
        return jsonify(error="admins only"), 403
    return jsonify(events=[{"at": "2026-01-01T00:00:00Z", "what": "roster exported"}])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
