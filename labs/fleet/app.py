"""Inventory service for fleet tests: one API deployed many times.

Two gates guard it: `user_gate` (/api/me, /api/items, /api/items/<id>) and
`reports_gate` (/api/reports, /api/reports/export). Both verify with PyJWT,
the key, a pinned algorithm and a required exp, and failed attempts are
throttled per client and route.

GATE_DRIFT=1 deploys the older reports gate: it decodes without verifying the
signature, as a production config that drifted from staging would. Only the
two reports routes change; everything else is the same service.

Run: PORT=5000 [GATE_DRIFT=1] /usr/bin/python3 app.py
"""
import os
import secrets
import sys
import time
from datetime import datetime, timedelta, timezone
from functools import wraps

import jwt
from flask import Flask, g, jsonify, request

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)

SECRET = os.environ.get("JWT_SECRET") or secrets.token_urlsafe(48)
DRIFTED = os.environ.get("GATE_DRIFT") == "1"
ACCESS_TTL = timedelta(minutes=15)

PASSWORDS = {"alice": "alice-pw", "bob": "bob-pw"}
ITEMS = {
    1: {"id": 1, "sku": "A-100", "stock": 4},
    2: {"id": 2, "sku": "B-200", "stock": 120},
}


# The 20th failed attempt within 60 seconds locks the client out of that
# route for 1 second (429 + Retry-After).
throttle = labthrottle.Throttle(limit=20, window=60.0, lockout=1, scope="route")


def throttled(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = throttle.key()
        wait = throttle.retry_after(key)
        if wait:
            return labthrottle.too_many(wait)
        resp = app.make_response(view(*args, **kwargs))
        if resp.status_code in (401, 403):
            throttle.fail(key)
        return resp

    return wrapper


def bearer():
    header = request.headers.get("Authorization", "")
    return header[len("Bearer "):].strip() if header.startswith("Bearer ") else None


def verified_claims(token):
    return jwt.decode(token, SECRET, algorithms=["HS256"], options={"require": ["exp", "iat"]})


def drifted_claims(token):
    # The reports gate of an older deployment: the signature is not checked.
    return jwt.decode(token, options={"verify_signature": False})  # authprobe: ignore[py.jwt-unverified] -- only GATE_DRIFT=1 deployments run it


def gate(decode):
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            token = bearer()
            try:
                claims = decode(token) if token else None
            except jwt.InvalidTokenError:
                claims = None
            user = claims.get("sub") if isinstance(claims, dict) else None
            if user not in PASSWORDS:
                return jsonify(msg="Missing or invalid token"), 401
            if claims.get("iat", 0) > time.time() + 30:
                return jsonify(msg="Missing or invalid token"), 401
            g.user = user
            return view(*args, **kwargs)

        return throttled(wrapper)

    return decorate


user_gate = gate(verified_claims)
reports_gate = gate(drifted_claims if DRIFTED else verified_claims)


@app.post("/api/login")
@throttled
def login():
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    user, password = body.get("username"), body.get("password")
    if not isinstance(user, str) or not isinstance(password, str) or PASSWORDS.get(user) != password:
        return jsonify(msg="Bad username or password"), 401
    now = datetime.now(timezone.utc)
    token = jwt.encode({"sub": user, "iat": now, "exp": now + ACCESS_TTL}, SECRET, algorithm="HS256")
    return jsonify(access_token=token, token_type="Bearer", expires_in=900)


@app.get("/")
@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/api/me")
@user_gate
def me():
    return jsonify(user=g.user)


@app.get("/api/items")
@user_gate
def items():
    return jsonify(items=list(ITEMS.values()))


@app.get("/api/items/<int:item_id>")
@user_gate
def item(item_id):
    found = ITEMS.get(item_id)
    if found is None:
        return jsonify(msg="not found"), 404
    return jsonify(found)


@app.get("/api/reports")
@reports_gate
def reports():
    return jsonify(report="stock", generated_for=g.user, lines=len(ITEMS))


@app.get("/api/reports/export")
@reports_gate
def export():
    return jsonify(export=[i["sku"] for i in ITEMS.values()], generated_for=g.user)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
