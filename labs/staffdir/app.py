"""Staff directory API with opaque bearer tokens and no spec. Any member
adds colleagues through POST /api/staff (a login is needed, no role), which
answers a taken user name 409 "User already exists" (which names have
accounts); GET /api/staff/<username> serves any member's record, salary
included, to any member (BOLA). Logins and unknown tokens are throttled;
the login answers unknown users and wrong passwords alike; DELETE /api/me
removes the caller.

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
STAFF = {
    "ann": {"username": "ann", "password": "ann-pw-5", "title": "engineer", "salary": 71000},
    "bob": {"username": "bob", "password": "bob-pw-5", "title": "designer", "salary": 64000},
}
TOKENS = {}
lock = threading.Lock()
throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="route")
# Unknown tokens per client and route: the 20th within 60 seconds locks the
# client out of that route for 5 seconds (429 + Retry-After).
guessing = labthrottle.Throttle(limit=20, window=60.0, lockout=5, scope="route")


def public(rec):
    return {k: v for k, v in rec.items() if k != "password"}


@app.get("/health")  # authprobe: ignore[py.route-missing-auth] -- liveness probe, public by design
def health():
    return jsonify(status="ok")


@app.post("/api/tokens")
def tokens():
    wait = throttle.retry_after(throttle.key())
    if wait:
        return labthrottle.too_many(wait, msg="too many attempts")
    data = request.get_json(silent=True) or {}
    rec = STAFF.get(str(data.get("username", "")))
    ok = secrets.compare_digest(rec["password"] if rec else "authprobe-lab-no-user", str(data.get("password", "")))
    if rec is None or not ok:
        throttle.fail(throttle.key())
        return jsonify(error="bad credentials"), 401
    token = secrets.token_hex(24)
    with lock:
        TOKENS[token] = rec["username"]
    return jsonify(token=token)


def login_required(view):
    @wraps(view)
    def wrapper(*a, **kw):
        wait = guessing.retry_after(guessing.key())
        if wait:
            return labthrottle.too_many(wait, msg="too many attempts")
        name = TOKENS.get(request.headers.get("Authorization", "").removeprefix("Bearer "))
        if name is None or name not in STAFF:
            guessing.fail(guessing.key())
            return jsonify(error="unauthorized"), 401
        g.user = STAFF[name]
        return view(*a, **kw)
    return wrapper


@app.get("/api/me")
@login_required
def me():
    return jsonify(public(g.user))


@app.delete("/api/me")
@login_required
def leave():
    with lock:
        STAFF.pop(g.user["username"], None)
    return "", 204


@app.post("/api/staff")
@login_required
def add_staff():
    data = request.get_json(silent=True) or {}
    name, pw = data.get("username"), data.get("password")
    if not isinstance(name, str) or not name or not isinstance(pw, str) or not pw:
        return jsonify(error="username and password required"), 400
    with lock:
        if name in STAFF:
            return jsonify(error="User already exists"), 409
        STAFF[name] = {"username": name, "password": pw, "title": str(data.get("title", "staff")), "salary": 50000}
    return jsonify(message="User created"), 201


@app.get("/api/staff/<username>")
@login_required
def staff(username):
    rec = STAFF.get(username)
    if rec is None:
        return jsonify(error="not found"), 404
    return jsonify(public(rec))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
