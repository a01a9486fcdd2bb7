"""Notes service, done right: the secure twin of labs/jwt.

Same API, but every route goes through one verifier (PyJWT with the key, a
pinned algorithm and a required exp), tokens come only from the Authorization
header, tokens carry no secrets and live at most 12 hours, and failed
authentication attempts are throttled per client.

Run: PORT=5000 /usr/bin/python3 app.py
"""
import os
import secrets
import sys
import time
from datetime import datetime, timedelta, timezone
from functools import wraps

import jwt
from flask import Flask, Response, g, jsonify, request
from werkzeug.security import check_password_hash

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)

SECRET = os.environ.get("JWT_SECRET") or secrets.token_urlsafe(48)
ACCESS_TTL = timedelta(minutes=15)
REMEMBER_TTL = timedelta(hours=12)

# Seed data: the users table as stored (werkzeug password hashes).
PASSWORD_HASHES = {
    "alice": "pbkdf2:sha256:50000$OLbnq8cGT0qAbm6r$01c91d024725ad6edc2be09cdfd79b1a4e7b4f78850d5c3198955e11c8715c82",
    "bob": "pbkdf2:sha256:50000$rhBfIE2WuiXWWZ7u$d6b092a10923e54c5d5e3826117d06ee1cd0877ced95550cf8157c17cbbecf26",
    "carol": "pbkdf2:sha256:50000$3d55M4N2tIxrcZIz$019e446007c5d1042cb4f03a9c9bb7c33c3bf86df321372fd60f5b035a36909b",
}
USERS = {
    "alice": {"id": 1, "name": "Alice Liddell", "pw": PASSWORD_HASHES["alice"]},
    "bob": {"id": 2, "name": "Bob Tables", "pw": PASSWORD_HASHES["bob"]},
    "carol": {"id": 3, "name": "Carol Danvers", "pw": PASSWORD_HASHES["carol"]},
}
NOTES = {
    1: {"id": 1, "owner": "alice", "title": "Groceries", "body": "eggs, milk"},
    2: {"id": 2, "owner": "alice", "title": "Ideas", "body": "a notes app"},
    3: {"id": 3, "owner": "bob", "title": "Passwords to rotate", "body": "db, ci"},
    4: {"id": 4, "owner": "carol", "title": "Trip", "body": "Lisbon in May"},
}
TAGS = {"alice": ["home", "work"], "bob": ["ops"], "carol": ["travel"]}


# Failed authentication attempts per client and route: the 20th failure
# within 60 seconds locks the client out of that route for 5 seconds (429 +
# Retry-After), then counting starts afresh.
throttle = labthrottle.Throttle(limit=20, window=60.0, lockout=5, scope="route")


def too_many(wait):
    resp = jsonify(error="too many failed attempts, retry later")
    resp.status_code = 429
    resp.headers["Retry-After"] = str(wait)
    return resp


def throttled(view):
    """Counts responses that deny authentication (401/403, or an ok:false
    body) as failures of the calling client on this route."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = throttle.key()
        wait = throttle.retry_after(key)
        if wait:
            return too_many(wait)
        resp = app.make_response(view(*args, **kwargs))
        if resp.status_code in (401, 403) or getattr(g, "auth_failed", False):
            throttle.fail(key)
        return resp

    return wrapper


def issue(claims, ttl):
    now = datetime.now(timezone.utc)
    return jwt.encode(dict(claims, iat=now, exp=now + ttl), SECRET, algorithm="HS256")


def check_user(username, password):
    if not isinstance(username, str) or not isinstance(password, str):
        return False
    user = USERS.get(username)
    return user is not None and check_password_hash(user["pw"], password)


def json_body():
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


@app.post("/api/login")
@throttled
def login():
    body = json_body()
    if not check_user(body.get("username"), body.get("password")):
        return jsonify(msg="Bad username or password"), 401
    token = issue({"sub": body["username"]}, ACCESS_TTL)
    return jsonify(access_token=token, token_type="Bearer", expires_in=900)


@app.post("/auth/token")
@throttled
def form_login():
    form = request.form
    if not check_user(form.get("username"), form.get("password")):
        return jsonify(error="invalid_grant"), 401
    ttl = REMEMBER_TTL if form.get("remember") in ("1", "on", "true") else ACCESS_TTL
    return jsonify(access_token=issue({"sub": form["username"]}, ttl), token_type="Bearer")


@app.post("/api/v1/auth")
@throttled
def legacy_login():
    body = json_body()
    user, password = body.get("user"), body.get("pass")
    if not check_user(user, password):
        return jsonify(status="error", message="authentication failed"), 401
    token = issue({"username": user, "user_id": USERS[user]["id"]}, ACCESS_TTL)
    return jsonify(status="ok", data={"token": token})


def current_user():
    """The caller's username from a verified bearer token, or None."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        claims = jwt.decode(header[len("Bearer "):].strip(), SECRET, algorithms=["HS256"],
                            options={"require": ["exp", "iat"]})
    except jwt.InvalidTokenError:
        return None
    if int(claims["iat"]) > time.time() + 30:
        return None
    name = claims.get("sub") or claims.get("username")
    return name if isinstance(name, str) and name in USERS else None


def jwt_required(deny):
    """Decorator factory: `deny()` builds the route's own rejection response."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.user = current_user()
            if g.user is None:
                return deny()
            return view(*args, **kwargs)

        return throttled(wrapper)

    return decorate


def json_401():
    return jsonify(msg="Missing or invalid token"), 401


def json_403():
    return jsonify(error="forbidden"), 403


def text_401():
    return Response("Unauthorized\n", status=401, mimetype="text/plain")


def html_401():
    return Response(UNAUTHORIZED_PAGE, status=401, mimetype="text/html")


UNAUTHORIZED_PAGE = """<!doctype html>
<html><head><title>401 Unauthorized</title></head>
<body><h1>Unauthorized</h1><p>Please sign in to see your tags.</p></body></html>
"""

DOCS_PAGE = """<!doctype html>
<html><head><title>Notes API</title></head><body>
<h1>Notes API</h1>
<p>Sign in with <code>POST /api/login</code> and send the token as
<code>Authorization: Bearer &lt;token&gt;</code>.</p>
<ul><li>GET /api/me</li><li>GET /api/notes</li><li>GET /api/notes/{note_id}</li>
<li>GET /api/notes/summary</li><li>GET /api/reports</li><li>GET /api/profile</li>
<li>GET /api/export</li><li>GET /api/tags</li><li>GET /api/feed</li></ul>
</body></html>
"""


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/docs")
def docs():
    return Response(DOCS_PAGE, mimetype="text/html")


@app.get("/api/me")
@jwt_required(json_401)
def me():
    user = USERS[g.user]
    return jsonify(username=g.user, name=user["name"],
                   notes=sum(1 for n in NOTES.values() if n["owner"] == g.user))


@app.get("/api/notes")
@jwt_required(json_401)
def list_notes():
    mine = [{"id": n["id"], "title": n["title"]} for n in NOTES.values() if n["owner"] == g.user]
    return jsonify(notes=mine)


@app.get("/api/notes/summary")
@throttled
def notes_summary():
    """Widget endpoint: always 200, the body says whether it worked."""
    user = current_user()
    if user is None:
        g.auth_failed = True
        return jsonify(ok=False, error="invalid token")
    mine = [n for n in NOTES.values() if n["owner"] == user]
    return jsonify(ok=True, user=user, count=len(mine), latest=mine[-1]["title"] if mine else None)


@app.get("/api/notes/<int:note_id>")
@jwt_required(lambda: (jsonify(error="unauthorized"), 401))
def get_note(note_id):
    note = NOTES.get(note_id)
    if note is None or note["owner"] != g.user:
        return jsonify(error="note not found"), 404
    return jsonify(note)


@app.get("/api/reports")
@jwt_required(lambda: (jsonify(error="invalid token"), 401))
def reports():
    mine = [n for n in NOTES.values() if n["owner"] == g.user]
    return jsonify(generated_for=g.user, report={
        "notes": len(mine), "words": sum(len(n["body"].split()) for n in mine)})


@app.get("/api/profile")
@jwt_required(json_403)
def profile():
    return jsonify(user=g.user, display_name=USERS[g.user]["name"], tags=TAGS.get(g.user, []))


@app.get("/api/export")
@jwt_required(text_401)
def export_notes():
    rows = ["id,title"] + [f'{n["id"]},{n["title"]}' for n in NOTES.values() if n["owner"] == g.user]
    return Response("\n".join(rows) + "\n", mimetype="text/csv")


@app.get("/api/tags")
@jwt_required(html_401)
def tags():
    return jsonify(tags=TAGS.get(g.user, []))


@app.get("/api/feed")
@jwt_required(json_401)
def feed():
    items = [{"id": n["id"], "title": n["title"]} for n in NOTES.values() if n["owner"] == g.user]
    return jsonify(feed=items, updated=datetime.now(timezone.utc).isoformat())


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    app.run(host="127.0.0.1", port=port, threaded=True, debug=False, use_reloader=False)
