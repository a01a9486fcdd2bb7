"""Acme Orders, done right: the secure twin of labs/apikey.

One decorator per credential kind, applied to every view (no name lists),
keys compared with hmac.compare_digest and never empty, keys only from the
X-API-Key header, ownership and roles enforced in the views, the debug echo
redacts credentials, and failed authentication is throttled per client.

Run: PORT=5000 /usr/bin/python3 app.py
"""
import hmac
import json
import os
import secrets
import sys
import time
from datetime import datetime, timedelta, timezone
from functools import wraps

import jwt
import yaml
from flask import Flask, Response, g, jsonify, request
from werkzeug.security import check_password_hash

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)

JWT_SECRET = os.environ.get("JWT_SECRET") or secrets.token_urlsafe(48)
# Keys are deployment secrets, mounted as a file (never in source).
KEYS_FILE = os.environ.get("API_KEYS_FILE") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "api_keys.txt")
with open(KEYS_FILE, encoding="utf-8") as keys_file:
    API_KEYS = [k.strip() for k in keys_file.read().split(",") if k.strip()]
TOKEN_TTL = timedelta(minutes=15)
SPEC_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "openapi.yaml")
REDACTED_HEADERS = {"authorization", "x-api-key", "cookie", "proxy-authorization"}

# Seed data: the users table as stored (werkzeug password hashes).
PASSWORD_HASHES = {
    "alice": "pbkdf2:sha256:50000$OLbnq8cGT0qAbm6r$01c91d024725ad6edc2be09cdfd79b1a4e7b4f78850d5c3198955e11c8715c82",
    "bob": "pbkdf2:sha256:50000$rhBfIE2WuiXWWZ7u$d6b092a10923e54c5d5e3826117d06ee1cd0877ced95550cf8157c17cbbecf26",
    "dana": "pbkdf2:sha256:50000$KEhuXhUCStQc3aSA$0b0d8ccf41c499e29dedc08daebca402602350ac632a01d24fe251fd93496458",
}
USERS = {
    "alice": {"id": 1, "role": "customer", "pw": PASSWORD_HASHES["alice"]},
    "bob": {"id": 2, "role": "customer", "pw": PASSWORD_HASHES["bob"]},
    "dana": {"id": 3, "role": "admin", "pw": PASSWORD_HASHES["dana"]},
}
ORDERS = {
    1001: {"id": 1001, "user_id": 1, "item": "espresso machine", "total": 349.0, "card_last4": "4242"},
    1002: {"id": 1002, "user_id": 1, "item": "coffee beans 1kg", "total": 24.5, "card_last4": "4242"},
    1003: {"id": 1003, "user_id": 2, "item": "standing desk", "total": 599.0, "card_last4": "1881"},
    1004: {"id": 1004, "user_id": 2, "item": "desk lamp", "total": 45.0, "card_last4": "1881"},
}
PRODUCTS = [{"sku": "ESP-01", "name": "espresso machine", "stock": 12},
            {"sku": "DSK-20", "name": "standing desk", "stock": 3}]
INVOICES = [{"number": "INV-2026-0113", "partner": "globex", "amount": 18250.0},
            {"number": "INV-2026-0114", "partner": "initech", "amount": 7300.0}]
SHIPMENTS = [{"order_id": 1001, "carrier": "DHL", "tracking": "JD014600003828"},
             {"order_id": 1003, "carrier": "UPS", "tracking": "1Z999AA10123456784"}]


# Failed authentication attempts per client and route: the 20th failure
# within 60 seconds locks the client out of that route for 5 seconds (429 +
# Retry-After), then counting starts afresh.
throttle = labthrottle.Throttle(limit=20, window=60.0, lockout=5, scope="route")


def throttled(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = throttle.key()
        wait = throttle.retry_after(key)
        if wait:
            resp = jsonify(error="too many failed attempts")
            resp.status_code = 429
            resp.headers["Retry-After"] = str(wait)
            return resp
        resp = app.make_response(view(*args, **kwargs))
        if resp.status_code in (401, 403):
            throttle.fail(key)
        return resp

    return wrapper


@app.post("/api/auth/login")
@throttled
def login():
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    username, password = body.get("username"), body.get("password")
    user = USERS.get(username) if isinstance(username, str) else None
    if user is None or not isinstance(password, str) or not check_password_hash(user["pw"], password):
        return jsonify(error="invalid credentials"), 401
    now = datetime.now(timezone.utc)
    token = jwt.encode({"user_id": user["id"], "username": username, "role": user["role"],
                        "iat": now, "exp": now + TOKEN_TTL}, JWT_SECRET, algorithm="HS256")
    return jsonify(data={"token": token, "expires_in": int(TOKEN_TTL.total_seconds())})


def verified_claims():
    """Claims of a valid bearer token; None when there is no bearer; raises
    jwt.InvalidTokenError when there is one and it is not valid."""
    auth = request.headers.get("Authorization")
    if auth is None:
        return None
    if not auth.startswith("Bearer "):
        raise jwt.InvalidTokenError("not a bearer token")
    claims = jwt.decode(auth[len("Bearer "):], JWT_SECRET, algorithms=["HS256"],
                        options={"require": ["exp", "iat"]})
    if int(claims["iat"]) > time.time() + 30:
        raise jwt.ImmatureSignatureError("iat in the future")
    return claims


def valid_key(provided):
    if not provided:
        return False
    return any(hmac.compare_digest(provided.encode(), k.encode()) for k in API_KEYS)


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            g.claims = verified_claims()
        except jwt.InvalidTokenError:
            return jsonify(error="invalid or expired token"), 401
        if g.claims is None:
            return jsonify(error="missing bearer token"), 401
        return view(*args, **kwargs)

    return throttled(wrapper)


def admin_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if g.claims.get("role") != "admin":
            return jsonify(error="admin role required"), 403
        return view(*args, **kwargs)

    return token_required(wrapper)


def key_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not valid_key(request.headers.get("X-API-Key")):
            return jsonify(error="a valid X-API-Key is required"), 401
        return view(*args, **kwargs)

    return throttled(wrapper)


def key_or_token(view):
    """Either credential must be valid on its own; an invalid one is never
    ignored in favour of the other."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get("X-API-Key")
        try:
            claims = verified_claims()
        except jwt.InvalidTokenError:
            return jsonify(error="invalid or expired token"), 401
        if key is not None and not valid_key(key):
            return jsonify(error="invalid API key"), 401
        if key is None and claims is None:
            return jsonify(error="authentication required"), 401
        g.client = claims["username"] if claims else "partner"
        return view(*args, **kwargs)

    return throttled(wrapper)


@app.get("/health")
def health():
    return jsonify(status="ok", time=datetime.now(timezone.utc).isoformat())


@app.get("/openapi.json")
def openapi():
    with open(SPEC_PATH, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    return Response(json.dumps(spec, indent=2), mimetype="application/json")


@app.get("/docs")
def docs():
    return Response("<!doctype html><html><head><title>Acme Orders API</title></head><body>"
                    "<h1>Acme Orders API</h1><p>See <a href=\"/openapi.json\">openapi.json</a>. "
                    "Customers: bearer JWT from POST /api/auth/login. Partners: X-API-Key header."
                    "</p></body></html>", mimetype="text/html")


@app.get("/api/me")
@token_required
def me():
    return jsonify(user_id=g.claims["user_id"], username=g.claims["username"], role=g.claims["role"])


@app.get("/api/orders")
@token_required
def list_orders():
    mine = [o for o in ORDERS.values() if o["user_id"] == g.claims["user_id"]]
    return jsonify(orders=mine, count=len(mine))


@app.get("/api/orders/<int:order_id>")
@token_required
def get_order(order_id):
    order = ORDERS.get(order_id)
    if order is None or order["user_id"] != g.claims["user_id"]:
        return jsonify(error="order not found"), 404
    return jsonify(order=order)


@app.get("/api/admin/users")
@admin_required
def admin_users():
    return jsonify(users=[{"id": u["id"], "username": name, "role": u["role"]}
                          for name, u in USERS.items()])


@app.get("/api/admin/stats")
@admin_required
def admin_stats():
    return jsonify(orders=len(ORDERS), revenue=sum(o["total"] for o in ORDERS.values()))


@app.get("/api/partner/products")
@key_required
def partner_products():
    return jsonify(products=PRODUCTS)


@app.get("/api/partner/invoices")
@key_required
def list_invoices():
    return jsonify(invoices=INVOICES)


@app.get("/api/partner/shipments")
@key_required
def partner_shipments():
    return jsonify(shipments=SHIPMENTS)


@app.get("/api/reports/daily")
@key_or_token
def daily_report():
    today = datetime.now(timezone.utc).date().isoformat()
    return jsonify(date=today, orders=len(ORDERS), revenue=sum(o["total"] for o in ORDERS.values()),
                   requested_by=g.client)


@app.get("/api/debug/echo")
@token_required
def debug_echo():
    headers = {k: ("[redacted]" if k.lower() in REDACTED_HEADERS else v)
               for k, v in request.headers.items()}
    return jsonify(method=request.method, path=request.path, headers=headers,
                   user=g.claims.get("username"))


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    app.run(host="127.0.0.1", port=port, threaded=True, debug=False, use_reloader=False)
