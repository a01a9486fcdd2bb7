"""Conduit-style blogging API, secure twin: the same routes and token scheme
("Authorization: Token <jwt>", nested login bodies), a random signing secret
and throttled logins (429 + Retry-After). GET /createdb still exists and is
still counted at GET /__lab/status: a scan must not call it.
"""
import os
import secrets
import sys
import threading
import time
from functools import wraps

import jwt
from flask import Flask, g, jsonify, request
from werkzeug.security import check_password_hash, generate_password_hash

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
SECRET_KEY = os.environ.get("CONDUIT_SECRET") or secrets.token_hex(32)
TOKEN_TTL = 3600

lock = threading.Lock()
stats = {"createdb_calls": 0}
USERS = {}
ARTICLES = {}


def seed():
    with lock:
        USERS.clear()
        ARTICLES.clear()
        for name in ("alice", "bob"):
            USERS[name + "@conduit.test"] = {
                "email": name + "@conduit.test", "username": name, "bio": name + "'s bio", "image": None,
                "password": generate_password_hash(name + "-pw", method="pbkdf2:sha256:1000"),
            }
        ARTICLES["how-to-train-your-dragon"] = {
            "slug": "how-to-train-your-dragon", "title": "How to train your dragon",
            "body": "Very carefully.", "author": "alice", "tagList": ["dragons"],
        }


seed()


def user_view(u):
    return {"email": u["email"], "username": u["username"], "bio": u["bio"], "image": u["image"]}


def issue(u):
    now = int(time.time())
    return jwt.encode({"sub": u["username"], "iat": now, "exp": now + TOKEN_TTL}, SECRET_KEY, algorithm="HS256")


def unauthorized(msg):
    return jsonify(errors={"body": [msg]}), 401, {"WWW-Authenticate": "Token"}


def token_required(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Token" or not token:
            return unauthorized("missing authorization")
        try:
            claims = jwt.decode(token, SECRET_KEY, algorithms=["HS256"],
                                options={"require": ["exp", "iat", "sub"]})
        except jwt.PyJWTError:
            return unauthorized("invalid token")
        user = next((u for u in USERS.values() if u["username"] == claims["sub"]), None)
        if user is None:
            return unauthorized("unknown user")
        g.user = user
        return fn(*args, **kwargs)
    return wrapper


throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="client")


def locked_for(client):
    """Seconds the caller must wait, 0 when it may try again."""
    return throttle.retry_after(throttle.key())


def record_failure(client):
    """Count one failed attempt."""
    throttle.fail(throttle.key())


@app.post("/api/users/login")
def login():
    wait = locked_for(request.remote_addr)
    if wait:
        return jsonify(errors={"login": ["too many attempts"]}), 429, {"Retry-After": str(wait)}
    body = (request.get_json(silent=True) or {}).get("user") or {}
    u = USERS.get(str(body.get("email", "")))
    if u is None or not check_password_hash(u["password"], str(body.get("password", ""))):
        record_failure(request.remote_addr)
        return jsonify(errors={"email or password": ["is invalid"]}), 422
    return jsonify(user=dict(user_view(u), token=issue(u)))


@app.post("/api/users")
def register():
    body = (request.get_json(silent=True) or {}).get("user") or {}
    if not all(body.get(k) for k in ("email", "username", "password")):
        return jsonify(errors={"body": ["email, username and password are required"]}), 422
    with lock:
        if body["email"] in USERS:
            return jsonify(errors={"email": ["has already been taken"]}), 422
        USERS[body["email"]] = {"email": body["email"], "username": body["username"], "bio": "", "image": None,
                                "password": generate_password_hash(body["password"], method="pbkdf2:sha256:1000")}
    return jsonify(user=dict(user_view(USERS[body["email"]]), token=issue(USERS[body["email"]]))), 201


@app.get("/api/user")
@token_required
def current_user():
    return jsonify(user=user_view(g.user))


@app.put("/api/user")
@token_required
def update_user():
    body = (request.get_json(silent=True) or {}).get("user") or {}
    with lock:
        for k in ("bio", "image"):
            if k in body:
                g.user[k] = body[k]
    return jsonify(user=user_view(g.user))


@app.get("/api/articles")
def articles():
    items = sorted(ARTICLES.values(), key=lambda a: a["slug"])
    return jsonify(articles=items, articlesCount=len(items))


@app.get("/api/articles/feed")
@token_required
def feed():
    # Nobody follows anyone in the lab: every feed is empty.
    return jsonify(articles=[], articlesCount=0)


@app.get("/api/articles/<slug>")
def article(slug):
    a = ARTICLES.get(slug)
    if a is None:
        return jsonify(errors={"article": ["not found"]}), 404
    return jsonify(article=a)


@app.post("/api/articles")
@token_required
def create_article():
    body = (request.get_json(silent=True) or {}).get("article") or {}
    slug = "-".join(str(body.get("title", "untitled")).lower().split())
    with lock:
        ARTICLES[slug] = {"slug": slug, "title": body.get("title", ""), "body": body.get("body", ""),
                          "author": g.user["username"], "tagList": body.get("tagList", [])}
    return jsonify(article=ARTICLES[slug]), 201


@app.get("/api/tags")
def tags():
    return jsonify(tags=sorted({t for a in ARTICLES.values() for t in a["tagList"]}))


@app.get("/createdb")
def createdb():
    # Drops and recreates every table: a GET that changes state.
    with lock:
        stats["createdb_calls"] += 1
    seed()
    return jsonify(status="database created")


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/__lab/status")
def lab_stats():
    return jsonify(stats)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
