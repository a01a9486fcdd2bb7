"""Acme Orders: orders API for customers (JWT) and partners (API keys).

Customers sign in with POST /api/auth/login and send the token as a bearer;
partners send an API key in X-API-Key. The partner gate, the shipments
decorator and the reports dashboard were written by different teams.

Run: PORT=5000 /usr/bin/python3 app.py
"""
import json
import os
import secrets
from datetime import datetime, timedelta, timezone
from functools import wraps

import jwt
import yaml
from flask import Flask, Response, g, jsonify, request
from werkzeug.security import check_password_hash

app = Flask(__name__)

JWT_SECRET = os.environ.get("JWT_SECRET") or secrets.token_urlsafe(48)
API_KEYS = os.environ.get("API_KEYS", "pk_live_4f9a1c7e2b8d4a61,pk_live_9e3b7d2a5c1f4e08,").split(",")  # want: py.hardcoded-api-key
TOKEN_TTL = timedelta(minutes=15)
SPEC_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "openapi.yaml")

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
INVOICES = [{"number": "INV-2026-0113", "partner": "globex", "amount": 18250.0, "iban": "DE89370400440532013000"},
            {"number": "INV-2026-0114", "partner": "initech", "amount": 7300.0, "iban": "FR1420041010050500013M02606"}]
SHIPMENTS = [{"order_id": 1001, "carrier": "DHL", "tracking": "JD014600003828"},
             {"order_id": 1003, "carrier": "UPS", "tracking": "1Z999AA10123456784"}]


@app.post("/api/auth/login")
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


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return jsonify(error="missing bearer token"), 401
        try:
            g.claims = jwt.decode(auth[len("Bearer "):], JWT_SECRET, algorithms=["HS256"],
                                  options={"require": ["exp"]})
        except jwt.InvalidTokenError:
            return jsonify(error="invalid or expired token"), 401
        return view(*args, **kwargs)

    return wrapper


def admin_required(view):
    @wraps(view)
    @token_required
    def wrapper(*args, **kwargs):
        if g.claims.get("role") != "admin":
            return jsonify(error="admin role required"), 403
        return view(*args, **kwargs)

    return wrapper


# Views that need a partner API key; checked before every request.
KEY_PROTECTED = {"partner_products", "partner_invoices"}  # want: py.gate-stale-endpoint


@app.before_request
def require_partner_key():
    if request.endpoint not in KEY_PROTECTED:
        return None
    key = request.headers.get("X-API-Key")
    if key is None:
        key = request.args.get("api_key")  # spreadsheet imports cannot set headers # want: py.credential-in-query
    if key is None:
        return jsonify(error="API key required"), 401
    if key not in API_KEYS:  # want: py.apikey-empty-key, py.apikey-timing-compare
        return jsonify(error="invalid API key"), 401
    g.partner_key = key
    return None


def partner_key_required(view):
    """Shipments team's check. Some partners' ERP systems upper-case the key."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        provided = request.headers.get("X-API-Key", "").strip().lower()  # want: py.apikey-case-folded
        known = {k.lower() for k in API_KEYS if k}
        if not provided or provided not in known:
            return Response("Forbidden: a valid X-API-Key is required\n", status=403,
                            mimetype="text/plain")
        return view(*args, **kwargs)

    return wrapper


def key_or_token(view):
    """The reports dashboard is used by partners (API key) and by staff (JWT)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get("X-API-Key")
        if key:
            for known in API_KEYS:
                if known and key == known:  # want: py.apikey-timing-compare
                    g.client = "partner"
                    return view(*args, **kwargs)
            return jsonify(error="invalid API key"), 401
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            try:
                claims = jwt.decode(auth[len("Bearer "):], options={"verify_signature": False})  # want: py.jwt-unverified
            except jwt.DecodeError:  # want: py.auth-fail-open
                claims = {}
            g.client = claims.get("username", "dashboard")
            return view(*args, **kwargs)
        return jsonify(error="authentication required"), 401

    return wrapper


@app.get("/health")
def health():
    return jsonify(status="ok", time=datetime.now(timezone.utc).isoformat())


@app.get("/openapi.json")
def openapi():
    with open(SPEC_PATH, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    return Response(json.dumps(spec, indent=2), mimetype="application/json")


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
    if order is None:
        return jsonify(error="order not found"), 404
    return jsonify(order=order)


@app.get("/api/admin/users")
@token_required
def admin_users():
    return jsonify(users=[{"id": u["id"], "username": name, "role": u["role"]}
                          for name, u in USERS.items()])


@app.get("/api/admin/stats")
@admin_required
def admin_stats():
    return jsonify(orders=len(ORDERS), revenue=sum(o["total"] for o in ORDERS.values()))


@app.get("/api/partner/products")
def partner_products():
    return jsonify(products=PRODUCTS)


@app.get("/api/partner/invoices")  # want: py.route-missing-auth
def list_invoices():
    return jsonify(invoices=INVOICES)


@app.get("/api/partner/shipments")
@partner_key_required
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
    """Left in from the integration with the payment gateway."""
    return jsonify(method=request.method, path=request.path, headers=dict(request.headers),
                   user=g.claims.get("username"))


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    app.run(host="127.0.0.1", port=port, threaded=True, debug=False, use_reloader=False)
