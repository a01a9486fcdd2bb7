"""Conduit-style blogging API (the RealWorld shape): tokens travel as
"Authorization: Token <jwt>", bodies travel in envelopes ({"user": ...},
{"article": ...}, {"comment": ...}), comments and favourites hang under an
article, and GET /createdb (re)creates the database, as many tutorial apps do.
The lab counts /createdb calls at GET /__lab/status (not in the spec).
"""
import itertools
import os
import secrets
import threading
import time
from functools import wraps

import jwt
from flask import Flask, g, jsonify, request
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
# The tutorial default, kept when CONDUIT_SECRET is unset.
SECRET_KEY = os.environ.get("CONDUIT_SECRET", "secret-key")  # want: py.jwt-weak-secret
TOKEN_TTL = 3600
REFRESH_TTL = 86400

lock = threading.Lock()
stats = {"createdb_calls": 0}
USERS = {}
ARTICLES = {}
COMMENTS = {}  # id -> comment, with its article's slug
comment_ids = itertools.count(1)


def seed():
    with lock:
        USERS.clear()
        ARTICLES.clear()
        COMMENTS.clear()
        for name in ("alice", "bob"):
            USERS[name + "@conduit.test"] = {
                "email": name + "@conduit.test", "username": name, "bio": name + "'s bio", "image": None,
                "password": generate_password_hash(name + "-pw", method="pbkdf2:sha256:1000"),
            }
        ARTICLES["how-to-train-your-dragon"] = {
            "slug": "how-to-train-your-dragon", "title": "How to train your dragon",
            "body": "Very carefully.", "author": "alice", "tagList": ["dragons"], "favoritedBy": [],
        }


seed()


def blank(body, *fields):
    """The Conduit validation answer for missing fields, or None."""
    missing = [f for f in fields if not body.get(f)]
    if missing:
        return jsonify(errors={f: ["can't be blank"] for f in missing}), 422
    return None


def user_view(u):
    return {"email": u["email"], "username": u["username"], "bio": u["bio"], "image": u["image"]}


def issue(u, kind="access"):
    now = int(time.time())
    ttl = TOKEN_TTL if kind == "access" else REFRESH_TTL
    return jwt.encode({"sub": u["username"], "iat": now, "exp": now + ttl, "type": kind, "jti": secrets.token_hex(8)},
                      SECRET_KEY, algorithm="HS256")


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
        # The token's type is never checked (a refresh token opens every
        # route), and neither logout nor a password change revokes anything.
        g.user = user
        return fn(*args, **kwargs)
    return wrapper


@app.post("/api/users/login")
def login():
    body = (request.get_json(silent=True) or {}).get("user") or {}
    u = USERS.get(str(body.get("email", "")))
    # No throttling: any number of wrong passwords may be tried. The answer
    # tells an unknown email from a wrong password.
    if u is None:
        return jsonify(errors={"email": ["is not registered"]}), 422
    if not check_password_hash(u["password"], str(body.get("password", ""))):
        return jsonify(errors={"password": ["is invalid"]}), 422
    return jsonify(user=dict(user_view(u), token=issue(u), refresh_token=issue(u, "refresh")))


@app.post("/api/users/refresh")
def refresh():
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    try:
        claims = jwt.decode(token, SECRET_KEY, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except jwt.PyJWTError:
        return unauthorized("invalid token")
    user = next((u for u in USERS.values() if u["username"] == claims["sub"]), None)
    if scheme != "Token" or claims.get("type") != "refresh" or user is None:
        return unauthorized("a refresh token is required")
    return jsonify(user=dict(user_view(user), token=issue(user)))


@app.post("/api/users/logout")
@token_required
def logout():
    # Nothing is revoked: the token goes on working until it expires.
    return jsonify(status="logged out")


@app.post("/api/users")
def register():
    body = (request.get_json(silent=True) or {}).get("user") or {}
    refused = blank(body, "email", "username", "password")
    if refused:
        return refused
    with lock:
        if body["email"] in USERS:
            return jsonify(errors={"email": ["has already been taken"]}), 422
        # Mass assignment: a client-sent "admin" flag is stored as is.
        USERS[body["email"]] = {"email": body["email"], "username": body["username"], "bio": "", "image": None,
                                "password": generate_password_hash(body["password"], method="pbkdf2:sha256:1000"),
                                "admin": bool(body.get("admin"))}
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
        if body.get("password"):
            # No current password asked for, and the tokens issued before
            # go on working.
            g.user["password"] = generate_password_hash(str(body["password"]), method="pbkdf2:sha256:1000")
    return jsonify(user=user_view(g.user))


@app.get("/api/articles")  # authprobe: ignore[py.route-missing-auth] -- public in the RealWorld spec
def articles():
    items = [article_view(a) for a in sorted(ARTICLES.values(), key=lambda a: a["slug"])]
    return jsonify(articles=items, articlesCount=len(items))


@app.get("/api/articles/feed")
@token_required
def feed():
    # Nobody follows anyone in the lab: every feed is empty.
    return jsonify(articles=[], articlesCount=0)


@app.get("/api/articles/<slug>")  # authprobe: ignore[py.route-missing-auth] -- public in the RealWorld spec
def article(slug):
    a = ARTICLES.get(slug)
    if a is None:
        return jsonify(errors={"article": ["not found"]}), 404
    return jsonify(article=article_view(a))


def article_view(a):
    return {k: v for k, v in dict(a, favorited=g.get("user", {}).get("username") in a["favoritedBy"],
                                   favoritesCount=len(a["favoritedBy"])).items() if k != "favoritedBy"}


@app.post("/api/articles")
@token_required
def create_article():
    body = (request.get_json(silent=True) or {}).get("article") or {}
    refused = blank(body, "title", "description", "body")
    if refused:
        return refused
    slug = "-".join(str(body["title"]).lower().split())
    with lock:
        if slug in ARTICLES:
            return jsonify(errors={"title": ["has already been taken"]}), 422
        ARTICLES[slug] = {"slug": slug, "title": body["title"], "description": body["description"],
                          "body": body["body"], "author": g.user["username"], "tagList": body.get("tagList", []),
                          "favoritedBy": []}
    return jsonify(article=article_view(ARTICLES[slug])), 201


@app.put("/api/articles/<slug>")
@token_required
def update_article(slug):
    with lock:
        a = ARTICLES.get(slug)
        body = (request.get_json(silent=True) or {}).get("article") or {}
        if a is None:
            return jsonify(errors={"article": ["not found"]}), 404
        # Any signed-in user may edit any article: the author is not checked.
        for k in ("title", "description", "body"):
            if k in body:
                a[k] = body[k]
    return jsonify(article=article_view(a))


@app.delete("/api/articles/<slug>")
@token_required
def delete_article(slug):
    with lock:
        a = ARTICLES.get(slug)
        if a is None:
            return jsonify(errors={"article": ["not found"]}), 404
        if a["author"] != g.user["username"]:
            return jsonify(errors={"article": ["forbidden"]}), 403
        del ARTICLES[slug]
        for cid in [c for c, v in COMMENTS.items() if v["slug"] == slug]:
            del COMMENTS[cid]
    return "", 204


@app.post("/api/articles/<slug>/favorite")
@token_required
def favorite(slug):
    with lock:
        a = ARTICLES.get(slug)
        if a is None:
            return jsonify(errors={"article": ["not found"]}), 404
        if g.user["username"] not in a["favoritedBy"]:
            a["favoritedBy"].append(g.user["username"])
    return jsonify(article=article_view(a))


@app.delete("/api/articles/<slug>/favorite")
@token_required
def unfavorite(slug):
    with lock:
        a = ARTICLES.get(slug)
        if a is None:
            return jsonify(errors={"article": ["not found"]}), 404
        if g.user["username"] in a["favoritedBy"]:
            a["favoritedBy"].remove(g.user["username"])
    return jsonify(article=article_view(a))


def comment_view(c):
    return {k: v for k, v in c.items() if k != "slug"}


@app.get("/api/articles/<slug>/comments")  # authprobe: ignore[py.route-missing-auth] -- public in the RealWorld spec
def comments(slug):
    if slug not in ARTICLES:
        return jsonify(errors={"article": ["not found"]}), 404
    return jsonify(comments=[comment_view(c) for c in COMMENTS.values() if c["slug"] == slug])


@app.post("/api/articles/<slug>/comments")
@token_required
def add_comment(slug):
    body = (request.get_json(silent=True) or {}).get("comment") or {}
    refused = blank(body, "body")
    if refused:
        return refused
    with lock:
        if slug not in ARTICLES:
            return jsonify(errors={"article": ["not found"]}), 404
        cid = next(comment_ids)
        COMMENTS[cid] = {"id": cid, "body": body["body"], "author": g.user["username"], "slug": slug}
    return jsonify(comment=comment_view(COMMENTS[cid])), 201


@app.delete("/api/articles/<slug>/comments/<int:cid>")
@token_required
def delete_comment(slug, cid):
    with lock:
        c = COMMENTS.get(cid)
        if c is None or c["slug"] != slug:
            return jsonify(errors={"comment": ["not found"]}), 404
        if c["author"] != g.user["username"]:
            return jsonify(errors={"comment": ["forbidden"]}), 403
        del COMMENTS[cid]
    return "", 204


@app.get("/api/tags")  # authprobe: ignore[py.route-missing-auth] -- public in the RealWorld spec
def tags():
    return jsonify(tags=sorted({t for a in ARTICLES.values() for t in a["tagList"]}))


@app.get("/api/admin/stats")
@token_required
def admin_stats():
    # Administrators only: the admin flag registration stores decides.
    if not g.user.get("admin"):
        return jsonify(errors={"user": ["is not an administrator"]}), 403
    return jsonify(users=len(USERS), articles=len(ARTICLES))


@app.get("/api/debug/users")  # want: py.route-missing-auth
def debug_users():
    # Left in from development: every user with their password hash.
    return jsonify(users=[dict(user_view(u), password=u["password"]) for u in USERS.values()])


@app.get("/createdb")  # authprobe: ignore[py.route-missing-auth] -- the tutorial setup route (the scan must not call it)
def createdb():
    # Drops and recreates every table: a GET that changes state.
    with lock:
        stats["createdb_calls"] += 1
    seed()
    return jsonify(status="database created")


@app.get("/health")  # authprobe: ignore[py.route-missing-auth] -- public in the RealWorld spec
def health():
    return jsonify(status="ok")


@app.get("/__lab/status")
def lab_stats():
    return jsonify(stats)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
