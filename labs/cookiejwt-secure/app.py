"""Shop API with a JWT in an HttpOnly cookie, secure twin: every route
verifies with PyJWT and failed logins are throttled (429 + Retry-After).
GET /logout still revokes the caller's token and is still counted at
GET /__lab/status.
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
SECRET = os.environ.get("SHOP_SECRET") or secrets.token_hex(32)
COOKIE = "access_token"
TOKEN_TTL = 900
LEEWAY = 30
USERS = {u: generate_password_hash(u + "-pw", method="pbkdf2:sha256:1000") for u in ("alice", "bob")}
ORDERS = {"alice": [{"id": 101, "item": "kettle"}], "bob": [{"id": 202, "item": "teapot"}]}
lock = threading.Lock()
stats = {"logout_calls": 0}
revoked = set()


throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="client")


def locked_for(client):
    """Seconds the caller must wait, 0 when it may try again."""
    return throttle.retry_after(throttle.key())


def record_failure(client):
    """Count one failed attempt."""
    throttle.fail(throttle.key())


@app.post("/auth/login")
def login():
    wait = locked_for(request.remote_addr)
    if wait:
        return jsonify(error="too many attempts"), 429, {"Retry-After": str(wait)}
    user = request.form.get("username", "")
    if user not in USERS or not check_password_hash(USERS[user], request.form.get("password", "")):
        record_failure(request.remote_addr)
        return jsonify(error="invalid credentials"), 401
    now = int(time.time())
    token = jwt.encode({"sub": user, "jti": secrets.token_hex(8), "iat": now, "exp": now + TOKEN_TTL},
                       SECRET, algorithm="HS256")
    resp = jsonify(user=user)
    resp.set_cookie(COOKIE, token, httponly=True, samesite="Lax", max_age=TOKEN_TTL)
    return resp


def check_claims(claims):
    now = time.time()
    for k in ("exp", "iat", "sub", "jti"):
        if k not in claims:
            raise jwt.MissingRequiredClaimError(k)
    if not isinstance(claims["exp"], (int, float)) or claims["exp"] < now - LEEWAY:
        raise jwt.ExpiredSignatureError("expired")
    if not isinstance(claims["iat"], (int, float)) or claims["iat"] > now + LEEWAY:
        raise jwt.ImmatureSignatureError("iat in the future")
    if claims["sub"] not in USERS or claims["jti"] in revoked:
        raise jwt.InvalidTokenError("unknown user or revoked token")
    return claims


def verify(token):
    return check_claims(jwt.decode(token, SECRET, algorithms=["HS256"], leeway=LEEWAY,
                                   options={"require": ["exp", "iat", "sub", "jti"]}))


def cookie_auth(verifier):
    def decorator(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            token = request.cookies.get(COOKIE)
            if not token:
                return jsonify(error="not signed in"), 401
            try:
                g.claims = verifier(token)
            except jwt.InvalidTokenError:
                return jsonify(error="not signed in"), 401
            return fn(*args, **kwargs)
        return wrapper
    return decorator


@app.get("/api/me")
@cookie_auth(verify)
def me():
    return jsonify(user=g.claims["sub"])


@app.get("/api/orders")
@cookie_auth(verify)
def orders():
    return jsonify(orders=ORDERS.get(g.claims["sub"], []))


@app.get("/api/orders/export")
@cookie_auth(verify)
def export_orders():
    return jsonify(user=g.claims["sub"], orders=ORDERS.get(g.claims["sub"], []), format="json")


@app.get("/logout")
@cookie_auth(verify)
def logout():
    # Revokes the caller's token: a GET that changes state.
    with lock:
        stats["logout_calls"] += 1
        revoked.add(g.claims["jti"])
    resp = jsonify(status="signed out")
    resp.delete_cookie(COOKIE)
    return resp


@app.get("/public/products")
def products():
    return jsonify(products=[{"id": 1, "name": "kettle"}, {"id": 2, "name": "teapot"}])


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/__lab/status")
def lab_status():
    return jsonify(stats)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
