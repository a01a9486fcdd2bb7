"""Members service with open registration and self-service profiles, done
right (twin of labs/profile).

- POST /api/login answers every failure with the same 200 envelope.
- PATCH /api/me takes the display name and the e-mail only.
- PUT /api/users/<username>/password and DELETE /api/users/<username>
  work on the caller's own account only; a password change asks for the
  current password and ends every token issued before it (a generation
  counter in the token).
- DELETE /api/me deletes the caller's own account.
- POST /api/posts files a post under the caller, whatever the body says.
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
SECRET = os.environ.get("PROFILE_JWT_SECRET") or secrets.token_hex(32)
HASH = "pbkdf2:sha256:1000"
lock = threading.Lock()
USERS = {
    "alice": {"username": "alice", "email": "alice@example.com", "pw": generate_password_hash("alice-pw", method=HASH),
              "display_name": "Alice", "is_staff": False, "credits": 0},
}
POSTS = []
DUMMY = generate_password_hash("dummy", method=HASH)
throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="route")


def public(u):
    return {k: u[k] for k in ("username", "email", "display_name", "is_staff", "credits")}


def login_required(view):
    @wraps(view)
    def wrapper(*a, **kw):
        auth = request.headers.get("Authorization", "")
        try:
            claims = jwt.decode(auth.removeprefix("Bearer "), SECRET, algorithms=["HS256"], options={"require": ["exp", "sub"]})
        except jwt.PyJWTError:
            return jsonify(msg="login required"), 401
        g.user = USERS.get(claims["sub"])
        if g.user is None or claims.get("gen") != g.user.get("gen", 0):
            return jsonify(msg="login required"), 401
        return view(*a, **kw)
    return wrapper


@app.post("/api/register")
def register():
    # PROFILE_NO_REGISTRATION=1 closes registration (the members are the
    # configured ones): the shape of an API whose accounts only an operator
    # makes.
    if os.environ.get("PROFILE_NO_REGISTRATION") == "1":
        return jsonify(msg="not found"), 404
    data = request.get_json(silent=True) or {}
    name, pw, email = data.get("username"), data.get("password"), data.get("email")
    if not all(isinstance(x, str) and x for x in (name, pw, email)):
        return jsonify(errors={"username": "required", "password": "required", "email": "required"}), 400
    with lock:
        if name not in USERS:
            USERS[name] = {"username": name, "email": email, "pw": generate_password_hash(pw, method=HASH),
                           "display_name": name, "is_staff": False, "credits": 0}
    return jsonify(msg="if the name was free, the account is ready: log in"), 202


@app.post("/api/login")
def login():
    wait = throttle.retry_after(throttle.key())
    if wait:
        return labthrottle.too_many(wait, msg="too many attempts")
    data = request.get_json(silent=True) or {}
    user = USERS.get(str(data.get("username", "")))
    if user is None:
        check_password_hash(DUMMY, str(data.get("password", "")))
        throttle.fail(throttle.key())
        return jsonify(ok=False, msg="bad username or password")
    if not check_password_hash(user["pw"], str(data.get("password", ""))):
        throttle.fail(throttle.key())
        return jsonify(ok=False, msg="bad username or password")
    exp = datetime.now(timezone.utc) + timedelta(minutes=15)
    return jsonify(ok=True, access_token=jwt.encode({"sub": user["username"], "gen": user.get("gen", 0), "exp": exp}, SECRET, algorithm="HS256"))


@app.get("/health")  # authprobe: ignore[py.route-missing-auth] -- liveness probe, public by design
def health():
    return jsonify(status="ok")


@app.get("/api/me")
@login_required
def me():
    return jsonify(user=public(g.user))


@app.patch("/api/me")
@login_required
def update_me():
    data = request.get_json(silent=True) or {}
    with lock:
        g.user.update({k: v for k, v in data.items() if k in ("display_name", "email")})
    return jsonify(user=public(g.user))


@app.delete("/api/me")
@login_required
def delete_me():
    with lock:
        USERS.pop(g.user["username"], None)
    return "", 204


@app.delete("/api/users/<username>")
@login_required
def delete_user(username):
    if username != g.user["username"]:
        return jsonify(msg="not yours"), 403
    with lock:
        USERS.pop(username, None)
    return "", 204


@app.put("/api/users/<username>/password")
@login_required
def set_password(username):
    data = request.get_json(silent=True) or {}
    user = USERS.get(username)
    if user is not g.user:
        return jsonify(msg="not yours"), 403
    if not isinstance(data.get("password"), str) or not data["password"]:
        return jsonify(msg="bad request"), 400
    if not check_password_hash(user["pw"], str(data.get("current_password", ""))):
        return jsonify(msg="current_password is wrong or missing"), 403
    with lock:
        user["pw"] = generate_password_hash(data["password"], method=HASH)
        user["gen"] = user.get("gen", 0) + 1
    return jsonify(msg="password changed")


@app.post("/api/posts")
@login_required
def create_post():
    data = request.get_json(silent=True) or {}
    if not isinstance(data.get("text"), str) or not data["text"]:
        return jsonify(error="invalid schema", schema={"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}), 400
    with lock:
        POSTS.append({"username": g.user["username"], "text": data["text"]})
    return "posted"


@app.get("/api/posts/<username>")
@login_required
def list_posts(username):
    if username != g.user["username"]:
        return jsonify(msg="not yours"), 403
    return jsonify(posts=[x for x in POSTS if x["username"] == username])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
