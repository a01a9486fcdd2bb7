"""Notes service with open registration, in the shapes real APIs get wrong.

- POST /api/register stores every field of the body: is_admin included
  (mass assignment), and answers 409 "username already exists" to a taken
  name (enumeration).
- GET /api/notes lists every user's notes to every user, each with its
  owner's user_id.
- GET /api/notes/<id> checks the login, not the owner (BOLA), and answers
  an unknown id with a 500 (the dict lookup fails), as many Flask and
  Flask-RESTful handlers do.
- GET /directory, public, lists every user with a token that never expires,
  the admin's included.
- GET /api/admin/reports checks the role; POST on the same path does not.
- POST /api/notes takes an envelope: {"note": {"title": ..., "body": ...}}.
Logins are throttled and answer alike for unknown users and bad passwords.
"""
import os
import secrets
import sys
import threading
from datetime import datetime, timedelta, timezone
from functools import wraps

import jwt
from flask import Flask, g, jsonify, request
from werkzeug.security import check_password_hash, generate_password_hash

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
SECRET = os.environ.get("NOTES_JWT_SECRET") or secrets.token_hex(32)
HASH = "pbkdf2:sha256:1000"
lock = threading.Lock()
USERS = {
    1: {"id": 1, "username": "alice", "email": "alice@example.com", "pw": generate_password_hash("alice-pw", method=HASH), "is_admin": False},
    2: {"id": 2, "username": "bob", "email": "bob@example.com", "pw": generate_password_hash("bob-pw", method=HASH), "is_admin": False},
    3: {"id": 3, "username": "root", "email": "root@example.com", "pw": generate_password_hash("root-pw", method=HASH), "is_admin": True},
}
NOTES = {
    1: {"id": 1, "user_id": 1, "title": "groceries", "body": "milk"},
    2: {"id": 2, "user_id": 2, "title": "bank", "body": "pin 4711"},
}
REPORTS = [{"id": 1, "text": "quarterly"}]
DUMMY = generate_password_hash("dummy", method=HASH)
throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="route")


def public(u):
    return {"id": u["id"], "username": u["username"], "email": u["email"], "is_admin": u["is_admin"]}


def token(u, ttl=timedelta(minutes=15)):
    now = datetime.now(timezone.utc)
    claims = {"sub": str(u["id"]), "iat": now}
    if ttl:
        claims["exp"] = now + ttl
    return jwt.encode(claims, SECRET, algorithm="HS256")


def login_required(view):
    @wraps(view)
    def wrapper(*a, **kw):
        auth = request.headers.get("Authorization", "")
        try:
            claims = jwt.decode(auth.removeprefix("Bearer "), SECRET, algorithms=["HS256"], options={"require": ["sub"]})
        except jwt.PyJWTError:
            return jsonify(msg="login required"), 401
        g.user = USERS.get(int(claims["sub"]))
        if g.user is None:
            return jsonify(msg="login required"), 401
        return view(*a, **kw)
    return wrapper


@app.post("/api/register")
def register():
    data = request.get_json(silent=True) or {}
    name, pw, email = data.get("username"), data.get("password"), data.get("email")
    if not all(isinstance(x, str) and x for x in (name, pw, email)):
        return jsonify(errors={"username": "required", "password": "required", "email": "required"}), 400
    with lock:
        if any(u["username"] == name for u in USERS.values()):
            return jsonify(msg="username already exists"), 409
        uid = max(USERS) + 1
        user = {"id": uid, "username": name, "email": email, "pw": generate_password_hash(pw, method=HASH), "is_admin": False}
        user.update({k: v for k, v in data.items() if k not in ("id", "password", "pw")})
        USERS[uid] = user
    return jsonify(public(user)), 201


@app.post("/api/login")
def login():
    wait = throttle.retry_after(throttle.key())
    if wait:
        return labthrottle.too_many(wait, msg="too many attempts")
    data = request.get_json(silent=True) or {}
    user = next((u for u in USERS.values() if u["username"] == data.get("username")), None)
    ok = check_password_hash(user["pw"] if user else DUMMY, str(data.get("password", "")))
    if not (user and ok):
        throttle.fail(throttle.key())
        return jsonify(msg="bad username or password"), 401
    return jsonify(access_token=token(user))


@app.get("/health")  # authprobe: ignore[py.route-missing-auth] -- liveness probe, public by design
def health():
    return jsonify(status="ok")


@app.get("/api/me")
@login_required
def me():
    return jsonify(public(g.user))


@app.get("/api/notes")
@login_required
def list_notes():
    return jsonify(notes=list(NOTES.values()))


@app.post("/api/notes")
@login_required
def create_note():
    note = (request.get_json(silent=True) or {}).get("note")
    if not isinstance(note, dict) or not isinstance(note.get("title"), str):
        return jsonify(errors={"note": {"title": "required"}}), 422
    with lock:
        nid = max(NOTES, default=0) + 1
        NOTES[nid] = {"id": nid, "user_id": g.user["id"], "title": note["title"], "body": str(note.get("body", ""))}
    return jsonify(NOTES[nid]), 201


@app.get("/api/notes/<int:note_id>")
@login_required
def get_note(note_id):
    return jsonify(NOTES[note_id])  # an unknown id is a KeyError: 500


@app.delete("/api/notes/<int:note_id>")
@login_required
def delete_note(note_id):
    note = NOTES.get(note_id)
    if note is None or note["user_id"] != g.user["id"]:
        return jsonify(msg="not found"), 404
    del NOTES[note_id]
    return "", 204


@app.get("/directory")  # want: py.route-missing-auth
def directory():
    return jsonify(users=[dict(username=u["username"], email=u["email"], token=token(u, ttl=None)) for u in USERS.values()])  # want: py.jwt-no-expiry


@app.get("/api/admin/reports")
@login_required
def reports():
    if not g.user["is_admin"]:
        return jsonify(msg="admins only"), 403
    return jsonify(reports=REPORTS)


@app.post("/api/admin/reports")
@login_required
def add_report():
    REPORTS.append({"id": len(REPORTS) + 1, "text": str((request.get_json(silent=True) or {}).get("text", ""))})
    return jsonify(ok=True, count=len(REPORTS))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
