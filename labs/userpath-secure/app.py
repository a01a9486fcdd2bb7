"""The shop API of labs/userpath done right: the login at
POST /shop/v1/<user_id>/login answers an unknown id and a wrong password
alike (401 "Invalid credentials", the same work done), and every per-user
route needs a login and answers 403 unless the id in its path is the
session's own.

Logins are throttled; /health is public; the session secret is random.

Run: PORT=5000 /usr/bin/python3 app.py
"""
import os
import secrets
import sys
from functools import wraps

from flask import Flask, jsonify, request, session

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
app.secret_key = secrets.token_hex(32)
USERS = {
    "4711": {"username": "ann", "password": "ann-pw-7"},
    "4712": {"username": "bob", "password": "bob-pw-7"},
    "4713": {"username": "cid", "password": "cid-pw-7"},
}
ORDERS = {"4711": [{"sku": "A-1", "qty": 2}], "4712": [{"sku": "B-7", "qty": 1}], "4713": [{"sku": "C-3", "qty": 5}]}
WISHES = {"4711": ["kettle", "lamp"], "4712": ["tent"], "4713": ["skis", "boots"]}
throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="route")


@app.get("/health")  # authprobe: ignore[py.route-missing-auth] -- liveness probe, public by design
def health():
    return jsonify(status="ok")


@app.post("/shop/v1/<user_id>/login")
def login(user_id):
    wait = throttle.retry_after(throttle.key())
    if wait:
        return labthrottle.too_many(wait, msg="too many attempts")
    data = request.get_json(silent=True) or {}
    user = USERS.get(user_id)
    stored = user["password"] if user else "authprobe-lab-no-user"
    ok = secrets.compare_digest(stored, str(data.get("password", "")))
    if user is None or not ok:
        throttle.fail(throttle.key())
        return jsonify(error="Invalid credentials"), 401
    session["user_id"] = user_id
    return jsonify(message="Login successful")


def login_required(view):
    @wraps(view)
    def wrapper(*a, **kw):
        if "user_id" not in session:
            return jsonify(error="Unauthorized"), 401
        return view(*a, **kw)
    return wrapper


def own_path(view):
    """The user id in the path must be the session's own."""
    @wraps(view)
    def wrapper(user_id, *a, **kw):
        if session.get("user_id") != user_id:
            return jsonify(error="Forbidden"), 403
        return view(user_id, *a, **kw)
    return wrapper


@app.get("/shop/v1/me")
@login_required
def me():
    return jsonify(user_id=session["user_id"], username=USERS[session["user_id"]]["username"])


@app.get("/shop/v1/<user_id>/orders")
@login_required
@own_path
def orders(user_id):
    if user_id not in ORDERS:
        return jsonify(error="No orders found"), 404
    return jsonify(user_id=user_id, orders=ORDERS[user_id])


@app.get("/shop/v1/<user_id>/wishlist")
@login_required
@own_path
def wishlist(user_id):
    if user_id not in WISHES:
        return jsonify(error="No wish list"), 404
    return jsonify(user_id=user_id, items=WISHES[user_id])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
