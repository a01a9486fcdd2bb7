"""Help-desk members service whose login is HTTP Basic (scanned with ONE
identity, --allow-writes): POST /api/tokens takes the user name and
password in an `Authorization: Basic` header and answers an opaque token
the other routes read as a bearer token.

- POST /api/users registers anyone (username, email, password) and answers
  a taken name like a free one.
- GET /api/users/<int:user_id> serves a member's public card (id,
  username, bio; the e-mail stays hidden) to that member only.
- PUT /api/users/<int:user_id> checks the login, not whose card it is: any
  member rewrites any member's bio (the handler reads the e-mail and bio
  of the body; the card never shows the e-mail).
Logins and unknown tokens are throttled; logins fail alike.
"""
import os
import secrets
import sys
import threading
from functools import wraps

from flask import Flask, g, jsonify, request
from werkzeug.security import check_password_hash, generate_password_hash

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
HASH = "pbkdf2:sha256:1000"
lock = threading.Lock()
USERS = {1: {"id": 1, "username": "alice", "email": "alice@example.com", "bio": "desk lead",
             "pw": generate_password_hash("alice-pw", method=HASH)}}
TOKENS = {}
DUMMY = generate_password_hash("dummy", method=HASH)
throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="route")
# Unknown tokens per client and route: the 20th within 60 seconds locks the
# client out of that route for 5 seconds (429 + Retry-After).
guessing = labthrottle.Throttle(limit=20, window=60.0, lockout=5, scope="route")


def card(u):
    return {"id": u["id"], "username": u["username"], "bio": u["bio"]}


def token_required(view):
    @wraps(view)
    def wrapper(*a, **kw):
        wait = guessing.retry_after(guessing.key())
        if wait:
            return labthrottle.too_many(wait, error="too many attempts")
        auth = request.headers.get("Authorization", "")
        uid = TOKENS.get(auth.removeprefix("Bearer ")) if auth.startswith("Bearer ") else None
        g.user = USERS.get(uid)
        if g.user is None:
            guessing.fail(guessing.key())
            return jsonify(error="unauthorized"), 401, {"WWW-Authenticate": "Bearer"}
        return view(*a, **kw)
    return wrapper


@app.get("/health")  # authprobe: ignore[py.route-missing-auth] -- liveness probe, public by design
def health():
    return jsonify(status="ok")


@app.post("/api/tokens")
def tokens():
    wait = throttle.retry_after(throttle.key())
    if wait:
        return labthrottle.too_many(wait, error="too many attempts")
    auth = request.authorization
    name = auth.username if auth else ""
    pw = auth.password if auth else ""
    user = next((u for u in USERS.values() if u["username"] == name), None)
    if user is None or not check_password_hash(user["pw"], pw or ""):
        if user is None:
            check_password_hash(DUMMY, pw or "")
        throttle.fail(throttle.key())
        return jsonify(error="unauthorized"), 401, {"WWW-Authenticate": 'Basic realm="desk"'}
    tok = secrets.token_urlsafe(24)
    with lock:
        TOKENS[tok] = user["id"]
    return jsonify(token=tok)


@app.post("/api/users")  # authprobe: ignore[py.route-missing-auth] -- open registration by design
def register():
    data = request.get_json(silent=True) or {}
    name, email, pw = data.get("username"), data.get("email"), data.get("password")
    if not all(isinstance(x, str) and x for x in (name, email, pw)):
        return jsonify(error="username, email and password are required"), 400
    with lock:
        if not any(u["username"] == name for u in USERS.values()):
            uid = max(USERS) + 1
            USERS[uid] = {"id": uid, "username": name, "email": email, "bio": None,
                          "pw": generate_password_hash(pw, method=HASH)}
    return jsonify(msg="if the name was free, the account is ready: get a token"), 202


@app.get("/api/me")
@token_required
def me():
    return jsonify(card(g.user))


@app.get("/api/users/<int:user_id>")
@token_required
def get_user(user_id):
    user = USERS.get(user_id)
    if user is None or user["id"] != g.user["id"]:
        return jsonify(error="not yours"), 403
    return jsonify(card(user))


@app.put("/api/users/<int:user_id>")
@token_required
def update_user(user_id):
    user = USERS.get(user_id)
    if user is None:
        return jsonify(error="not found"), 404
    data = request.get_json(silent=True) or {}
    with lock:
        if isinstance(data.get("email"), str):
            user["email"] = data["email"]
        if isinstance(data.get("bio"), str):
            user["bio"] = data["bio"]
    return jsonify(card(user))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
