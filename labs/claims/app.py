"""Travel-claims API on SQLite with opaque bearer tokens and no spec. POST
/api/claims inserts the request body as it came: every key becomes a column
of the new row, so a client can file a claim already marked paid
(is_paid). The body is named nowhere but in the database's own refusals: an
empty one answers 500 "NOT NULL constraint failed: claims.title", then
"...claims.amount". Claims are read by their owner only; the login is
throttled and answers unknown users and wrong passwords alike.

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
USERS = {"ann": "ann-pw-3", "bob": "bob-pw-3"}
TOKENS = {}
lock = threading.Lock()
db = sqlite3.connect(":memory:", check_same_thread=False)
db.row_factory = sqlite3.Row
db.executescript("""
CREATE TABLE claims (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    amount INTEGER NOT NULL,
    is_paid INTEGER NOT NULL DEFAULT 0
);
""")
throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="route")
# Unknown tokens per client and route: the 20th within 60 seconds locks the
# client out of that route for 5 seconds (429 + Retry-After).
guessing = labthrottle.Throttle(limit=20, window=60.0, lockout=5, scope="route")


@app.errorhandler(sqlite3.Error)
def db_error(exc):
    return jsonify(error=str(exc)), 500


@app.get("/health")  # authprobe: ignore[py.route-missing-auth] -- liveness probe, public by design
def health():
    return jsonify(status="ok")


@app.post("/api/login")
def login():
    wait = throttle.retry_after(throttle.key())
    if wait:
        return labthrottle.too_many(wait, msg="too many attempts")
    data = request.get_json(silent=True) or {}
    user = str(data.get("username", ""))
    if not secrets.compare_digest(USERS.get(user, "authprobe-lab-no-user"), str(data.get("password", ""))) or user not in USERS:
        throttle.fail(throttle.key())
        return jsonify(error="bad credentials"), 401
    token = secrets.token_hex(24)
    with lock:
        TOKENS[token] = user
    return jsonify(token=token)


def login_required(view):
    @wraps(view)
    def wrapper(*a, **kw):
        wait = guessing.retry_after(guessing.key())
        if wait:
            return labthrottle.too_many(wait, msg="too many attempts")
        user = TOKENS.get(request.headers.get("Authorization", "").removeprefix("Bearer "))
        if user is None:
            guessing.fail(guessing.key())
            return jsonify(error="unauthorized"), 401
        g.user = user
        return view(*a, **kw)
    return wrapper


@app.get("/api/claims")
@login_required
def list_claims():
    with lock:
        rows = db.execute("SELECT * FROM claims WHERE owner = ?", (g.user,)).fetchall()
    return jsonify([dict(r) for r in rows])


@app.post("/api/claims")
@login_required
def file_claim():
    payload = request.get_json(silent=True) or {}
    payload["owner"] = g.user
    cols = [c for c in payload if c.isidentifier()]
    with lock:
        cur = db.execute(f"INSERT INTO claims ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                         [payload[c] for c in cols])
        db.commit()
    return jsonify(id=cur.lastrowid), 201


@app.get("/api/claims/<int:claim_id>")
@login_required
def get_claim(claim_id):
    with lock:
        row = db.execute("SELECT * FROM claims WHERE id = ? AND owner = ?", (claim_id, g.user)).fetchone()
    if row is None:
        return jsonify(error="not found"), 404
    return jsonify(dict(row))


@app.delete("/api/claims/<int:claim_id>")
@login_required
def delete_claim(claim_id):
    with lock:
        n = db.execute("DELETE FROM claims WHERE id = ? AND owner = ?", (claim_id, g.user)).rowcount
        db.commit()
    if not n:
        return jsonify(error="not found"), 404
    return "", 204


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
