"""Team roster API done right (the twin of labs/roster). Members log in
with POST /login {"login": ..., "password": ...}; each reads its own card
at GET /api/members/<id> (another member's id is 404).

- GET /api/roster needs a login and lists the caller's own card only.
- No debug dump: TRACE is routed nowhere.
- The login checks the user table only; the support account is one of its
  members, with a password from the environment.

Logins are throttled; /health is public; the session secret is random.

Run: PORT=5000 /usr/bin/python3 app.py
"""
import os
import secrets
import sys
from functools import wraps

from flask import Flask, jsonify, request, session
from werkzeug.security import check_password_hash, generate_password_hash

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labrefusal  # noqa: E402  (labs/_lib: refusal styles, REFUSAL=...)
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
app.secret_key = secrets.token_hex(32)
labrefusal.install(app)
MEMBERS = {
    31: {"name": "ann", "team": "red", "hash": generate_password_hash("ann-pw-3")},
    32: {"name": "bob", "team": "blue", "hash": generate_password_hash("bob-pw-3")},
    33: {"name": "cid", "team": "red", "hash": generate_password_hash("cid-pw-3")},
    99: {"name": "support", "team": "staff", "hash": generate_password_hash(os.environ.get("SUPPORT_PW") or secrets.token_hex(16))},
}
SUPPORT_ID = 99
DUMMY_HASH = generate_password_hash(secrets.token_hex(16))
throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="route")


@app.get("/health")  # authprobe: ignore[py.route-missing-auth] -- liveness probe, public by design
def health():
    return jsonify(status="ok")


@app.post("/login")
def login():
    wait = throttle.retry_after(throttle.key())
    if wait:
        return labthrottle.too_many(wait, msg="too many attempts")
    body = request.get_json(silent=True) or {}
    name, password = str(body.get("login", "")), str(body.get("password", ""))
    uid = next((u for u, m in MEMBERS.items() if m["name"] == name), None)
    # An unknown name is checked against a hash too, so that it takes as long.
    if check_password_hash(MEMBERS[uid]["hash"] if uid else DUMMY_HASH, password) and uid:
        session["uid"] = uid
        return jsonify(message="welcome")
    throttle.fail(throttle.key())
    return jsonify(error="invalid login"), 401


def login_required(view):
    @wraps(view)
    def wrapper(*a, **kw):
        if "uid" not in session:
            labrefusal.mark()
            return jsonify(error="login required"), 401
        return view(*a, **kw)
    return wrapper


def card(uid):
    m = MEMBERS[uid]
    return {"id": uid, "name": m["name"], "team": m["team"]}


@app.get("/api/me")
@login_required
def me():
    if session["uid"] == SUPPORT_ID:
        return jsonify(id=SUPPORT_ID, name="support", team="staff")
    return jsonify(card(session["uid"]))


@app.get("/api/members/<int:member_id>")
@login_required
def member(member_id):
    if member_id != session["uid"] or member_id not in MEMBERS:
        return jsonify(error="no such member"), 404
    return jsonify(card(member_id))


@app.get("/api/roster")
@login_required
def roster():
    return jsonify(members=[card(session["uid"])] if session["uid"] in MEMBERS else [])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
