"""Members desk whose tokens carry only a public_id claim and whose gate
answers a missing token 200 {"message": "Token is missing!"} (scanned with
ONE identity, --allow-writes, --source), in the shape of a common tutorial:

- POST /api/users adds a member (username, password) for any token
  holder; an empty body crashes the handler (data["password"]).
- GET /api/users/<public_id> serves a member's record to that member
  only; a token whose member is gone gets 200 {"members": []}.
- PUT /api/users/<public_id> sets the username and password of ANY
  member, and DELETE /api/users/<public_id> deletes ANY member: both
  check the token, not whose record it is.
Logins and bad tokens are throttled; logins fail alike.
"""
import os
import secrets
import sys
import threading
import uuid
from datetime import datetime, timedelta, timezone
from functools import wraps

import jwt
from flask import Flask, g, jsonify, request
from werkzeug.security import check_password_hash, generate_password_hash

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
SECRET = os.environ.get("MEMBERDESK_JWT_SECRET") or secrets.token_hex(32)
HASH = "pbkdf2:sha256:1000"
lock = threading.Lock()
ALICE = str(uuid.uuid4())
MEMBERS = {ALICE: {"public_id": ALICE, "username": "alice", "pw": generate_password_hash("alice-pw", method=HASH)}}
DUMMY = generate_password_hash("dummy", method=HASH)
throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="route")
guessing = labthrottle.Throttle(limit=20, window=60.0, lockout=5, scope="route")


def public(m):
    return {"public_id": m["public_id"], "username": m["username"]}


def token_required(view):
    @wraps(view)
    def wrapper(*a, **kw):
        wait = guessing.retry_after(guessing.key())
        if wait:
            return labthrottle.too_many(wait, message="too many attempts")
        token = request.headers.get("X-Access-Token")
        if not token:
            return jsonify(message="Token is missing!")
        try:
            data = jwt.decode(token, SECRET, algorithms=["HS256"], options={"require": ["exp", "public_id"]})
        except jwt.PyJWTError:
            guessing.fail(guessing.key())
            return jsonify(message="Token is invalid!"), 401
        g.member = MEMBERS.get(data["public_id"])  # None once the member is gone
        g.pid = data["public_id"]
        return view(*a, **kw)
    return wrapper


@app.get("/health")  # authprobe: ignore[py.route-missing-auth] -- liveness probe, public by design
def health():
    return jsonify(status="ok")


@app.post("/api/login")
def login():
    wait = throttle.retry_after(throttle.key())
    if wait:
        return labthrottle.too_many(wait, message="too many attempts")
    data = request.get_json(silent=True) or {}
    m = next((x for x in MEMBERS.values() if x["username"] == data.get("username")), None)
    if m is None or not check_password_hash(m["pw"], str(data.get("password", ""))):
        if m is None:
            check_password_hash(DUMMY, str(data.get("password", "")))
        throttle.fail(throttle.key())
        return jsonify(message="Could not verify"), 401
    exp = datetime.now(timezone.utc) + timedelta(minutes=30)
    return jsonify(token=jwt.encode({"public_id": m["public_id"], "exp": exp}, SECRET, algorithm="HS256"))


@app.post("/api/users")
@token_required
def add_member():
    data = request.get_json(silent=True) or {}
    pw = generate_password_hash(data["password"], method=HASH)
    name = data["username"]
    with lock:
        if not any(x["username"] == name for x in MEMBERS.values()):
            pid = str(uuid.uuid4())
            MEMBERS[pid] = {"public_id": pid, "username": name, "pw": pw}
    return jsonify(message="if the name was free, the member is added"), 201


@app.get("/api/users/<public_id>")
@token_required
def get_member(public_id):
    if g.member is None:
        return jsonify(members=[])
    m = MEMBERS.get(public_id)
    if m is None or m["public_id"] != g.member["public_id"]:
        return jsonify(message="not yours"), 403
    return jsonify(members=[public(m)])


@app.put("/api/users/<public_id>")
@token_required
def update_member(public_id):
    m = MEMBERS.get(public_id)
    if m is None:
        return jsonify(message="no such member"), 404
    data = request.get_json(silent=True) or {}
    with lock:
        if data.get("username"):
            m["username"] = data["username"]
        if data.get("password"):
            m["pw"] = generate_password_hash(data["password"], method=HASH)
    return jsonify(message="member updated")


@app.delete("/api/users/<public_id>")
@token_required
def delete_member(public_id):
    m = MEMBERS.get(public_id)
    if m is None:
        return jsonify(message="no such member"), 404
    with lock:
        MEMBERS.pop(m["public_id"], None)
    return jsonify(message="member deleted")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
