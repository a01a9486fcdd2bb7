"""Notes service: a small notes API secured with HS256 JWTs.

Every route verifies the bearer token, but not every route does it the same
way: the code grew over time and each handler has its own history.

Run: PORT=5000 /usr/bin/python3 app.py
"""
import base64
import hashlib
import hmac
import json
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
# Tokens signed before the March key rotation are still honoured on some routes.
ROTATED_SECRETS = [SECRET, os.environ.get("OLD_JWT_SECRET", "")]
ACCESS_TTL = timedelta(minutes=15)
REMEMBER_TTL = timedelta(days=30)
LEEWAY = 30

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


# Failed logins per client and route: the 20th failure within a minute
# locks the client out of that login for 5 seconds (429 + Retry-After).
throttle = labthrottle.Throttle(limit=20, window=60.0, lockout=5, scope="route")


def throttled_login(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = throttle.key()
        wait = throttle.retry_after(key)
        if wait:
            return labthrottle.too_many(wait, error="too many failed logins, slow down")
        resp = app.make_response(view(*args, **kwargs))
        if resp.status_code == 401:
            throttle.fail(key)
        return resp

    return wrapper


def issue(claims, ttl):
    now = datetime.now(timezone.utc)
    claims = dict(claims, iat=now)
    if ttl is not None:
        claims["exp"] = now + ttl
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    # Warm the profile cache: the client calls /api/profile right after login.
    head, payload, _ = token.split(".")
    verified_cache[head + "." + payload] = jwt.decode(token, SECRET, algorithms=["HS256"])
    return token


def check_user(username, password):
    if not isinstance(username, str) or not isinstance(password, str):
        return False
    user = USERS.get(username)
    return user is not None and check_password_hash(user["pw"], password)


def json_body():
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


@app.post("/api/login")
@throttled_login
def login():
    body = json_body()
    if not check_user(body.get("username"), body.get("password")):
        return jsonify(msg="Bad username or password"), 401
    token = issue({"sub": body["username"]}, ACCESS_TTL)
    return jsonify(access_token=token, token_type="Bearer", expires_in=900)


@app.post("/auth/token")
@throttled_login
def form_login():
    """Form login of the web front end; "remember me" keeps you signed in."""
    form = request.form
    if not check_user(form.get("username"), form.get("password")):
        return jsonify(error="invalid_grant"), 401
    ttl = REMEMBER_TTL if form.get("remember") in ("1", "on", "true") else ACCESS_TTL
    return jsonify(access_token=issue({"sub": form["username"]}, ttl), token_type="Bearer")  # want: py.jwt-long-lifetime


@app.post("/api/v1/auth")
@throttled_login
def legacy_login():
    """v1 mobile clients: kept until the old app is retired."""
    body = json_body()
    user, password = body.get("user"), body.get("pass")
    if not check_user(user, password):
        return jsonify(status="error", message="authentication failed"), 401
    claims = {"username": user, "user_id": USERS[user]["id"], "password_hash": USERS[user]["pw"]}  # want: py.jwt-sensitive-claims
    return jsonify(status="ok", data={"token": issue(claims, None)})  # want: py.jwt-no-expiry


def bearer():
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return header[len("Bearer "):].strip()


def check_times(claims):
    """Time claims, checked the same way by every verifier below."""
    now = time.time()
    try:
        times = {k: float(claims[k]) for k in ("exp", "nbf", "iat") if k in claims}
    except (TypeError, ValueError) as exc:
        raise jwt.DecodeError("time claims must be numbers") from exc
    if "exp" in times and times["exp"] < now - LEEWAY:
        raise jwt.ExpiredSignatureError("token expired")
    if "nbf" in times and times["nbf"] > now + LEEWAY:
        raise jwt.ImmatureSignatureError("token not yet valid")
    if "iat" in times and times["iat"] > now + LEEWAY:
        raise jwt.ImmatureSignatureError("token issued in the future")
    return claims


def username_of(claims):
    name = claims.get("sub") or claims.get("username")
    if not isinstance(name, str) or not name:
        raise jwt.InvalidTokenError("no subject")
    return name


def b64decode(segment):
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def parse_segments(token):
    parts = token.split(".")
    if len(parts) != 3:
        raise jwt.DecodeError("not a JWT")
    try:
        header = json.loads(b64decode(parts[0]))
        claims = json.loads(b64decode(parts[1]))
    except (ValueError, TypeError) as exc:
        raise jwt.DecodeError("bad segment") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise jwt.DecodeError("bad segment")
    return parts, header, claims


def hs256(signing_input):
    mac = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def verify_token(token):
    """The reference verifier: key, pinned algorithm, time claims."""
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], leeway=LEEWAY)
    return check_times(claims)


def jwt_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        token = bearer()
        if token is None:
            return jsonify(msg="Missing Authorization Header"), 401
        try:
            g.user = username_of(verify_token(token))
        except jwt.InvalidTokenError:
            return jsonify(msg="Token is invalid"), 401
        return view(*args, **kwargs)

    return wrapper


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/api/me")
@jwt_required
def me():
    user = USERS.get(g.user, {})
    return jsonify(username=g.user, name=user.get("name"), notes=sum(
        1 for n in NOTES.values() if n["owner"] == g.user))


@app.get("/api/notes")
@jwt_required
def list_notes():
    mine = [{"id": n["id"], "title": n["title"]} for n in NOTES.values() if n["owner"] == g.user]
    return jsonify(notes=mine)


@app.post("/api/notes")
@jwt_required
def create_note():
    body = json_body()
    note_id = max(NOTES) + 1
    NOTES[note_id] = {"id": note_id, "owner": g.user, "title": str(body.get("title", "")),
                      "body": str(body.get("body", ""))}
    return jsonify(NOTES[note_id]), 201


def verify_sync_token(token):
    """Verifier shared with the sync worker, which sends unsigned tokens
    from inside the cluster."""
    parts, header, claims = parse_segments(token)
    alg = header.get("alg")
    if not isinstance(alg, str):
        raise jwt.InvalidAlgorithmError("no alg")
    if alg.lower() == "none":  # want: py.jwt-alg-none
        return check_times(claims)
    if alg != "HS256":
        raise jwt.InvalidAlgorithmError("unsupported alg")
    expected = hs256(parts[0] + "." + parts[1])
    if not hmac.compare_digest(parts[2].encode(), expected.encode()):
        raise jwt.InvalidSignatureError("bad signature")
    return check_times(claims)


@app.get("/api/notes/<int:note_id>")
def get_note(note_id):
    token = bearer()
    try:
        user = username_of(verify_sync_token(token or ""))
    except jwt.InvalidTokenError:
        return jsonify(error="unauthorized"), 401
    note = NOTES.get(note_id)
    if note is None or note["owner"] != user:
        return jsonify(error="note not found"), 404
    return jsonify(note)


@app.get("/api/reports")
def reports():
    token = bearer()
    if token is None:
        return jsonify(error="authorization required"), 401
    try:
        # verify_signature off while debugging the clock-skew issue (#212)
        claims = jwt.decode(token, SECRET, algorithms=["HS256"],
                            options={"verify_signature": False})  # want: py.jwt-unverified
        user = username_of(check_times(claims))
    except jwt.InvalidTokenError:
        return jsonify(error="invalid token"), 401
    mine = [n for n in NOTES.values() if n["owner"] == user]
    return jsonify(generated_for=user, report={"notes": len(mine),
                                               "words": sum(len(n["body"].split()) for n in mine)})


# header.payload -> verified claims; saves an HMAC per request on a hot route.
verified_cache = {}


def verify_cached(token):
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise jwt.DecodeError("malformed token")
    signed = parts[0] + "." + parts[1]
    claims = verified_cache.get(signed)
    if claims is None:
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        if len(verified_cache) > 10000:
            verified_cache.clear()
        verified_cache[signed] = claims
    return check_times(dict(claims))


@app.get("/api/profile")
def profile():
    token = bearer()
    if token is None:
        return jsonify(error="authentication required"), 401
    try:
        user = username_of(verify_cached(token))
    except jwt.InvalidTokenError:
        return jsonify(error="forbidden"), 403
    info = USERS.get(user, {})
    return jsonify(user=user, display_name=info.get("name"), tags=TAGS.get(user, []))


def verify_export_token(token):
    """The export worker checks tokens itself to avoid importing the web stack."""
    parts, header, claims = parse_segments(token)
    if header.get("alg") != "HS256":
        raise jwt.InvalidAlgorithmError("unsupported alg")
    signature = parts[2]
    if signature:  # want: py.jwt-signature-optional
        expected = hs256(parts[0] + "." + parts[1])
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            raise jwt.InvalidSignatureError("bad signature")
    return check_times(claims)


@app.get("/api/export")
def export_notes():
    try:
        user = username_of(verify_export_token(bearer() or ""))
    except jwt.InvalidTokenError:
        return Response("Unauthorized\n", status=401, mimetype="text/plain")
    rows = ["id,title"] + [f'{n["id"]},{n["title"]}' for n in NOTES.values() if n["owner"] == user]
    return Response("\n".join(rows) + "\n", mimetype="text/csv")


UNAUTHORIZED_PAGE = """<!doctype html>
<html><head><title>401 Unauthorized</title></head>
<body><h1>Unauthorized</h1><p>Please sign in to see your tags.</p></body></html>
"""


def verify_rotated(token):
    """Accept tokens signed with the current or the previous key."""
    for key in ROTATED_SECRETS:
        try:
            return check_times(jwt.decode(token, key, algorithms=["HS256"]))  # want: py.jwt-empty-secret
        except jwt.InvalidSignatureError:
            continue
    raise jwt.InvalidSignatureError("no key matches")


@app.get("/api/tags")
def tags():
    try:
        user = username_of(verify_rotated(bearer() or ""))
    except jwt.InvalidTokenError:
        return Response(UNAUTHORIZED_PAGE, status=401, mimetype="text/html")
    return jsonify(tags=TAGS.get(user, []))


@app.get("/api/feed")
def feed():
    # Feed readers cannot set headers, so the token may come in the URL.
    token = bearer() or request.args.get("access_token")  # want: py.credential-in-query
    if not token:
        return jsonify(msg="Missing Authorization Header"), 401
    try:
        user = username_of(verify_token(token))
    except jwt.InvalidTokenError:
        return jsonify(msg="Token is invalid"), 401
    items = [{"id": n["id"], "title": n["title"]} for n in NOTES.values() if n["owner"] == user]
    return jsonify(feed=items, updated=datetime.now(timezone.utc).isoformat())


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    app.run(host="127.0.0.1", port=port, threaded=True, debug=False, use_reloader=False)
