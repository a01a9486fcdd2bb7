"""Shop API whose users log in at a URL that names them: POST
/shop/v1/<user_id>/login with a password only in the body, and a Flask
session cookie after. Every per-user route takes the user id in its path:

- GET /shop/v1/<user_id>/orders needs a login but never compares the
  session's user with the one in the path (BOLA: any member reads any
  member's orders by id);
- GET /shop/v1/<user_id>/wishlist needs nothing at all (anyone reads any
  member's wish list);
- the login answers 404 "User not found" for an unknown id and 401
  "Invalid credentials" for a wrong password (which ids have accounts).

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
    if user is None:
        throttle.fail(throttle.key())
        return jsonify(error="User not found"), 404
    if not secrets.compare_digest(user["password"], str(data.get("password", ""))):
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


@app.get("/shop/v1/me")
@login_required
def me():
    return jsonify(user_id=session["user_id"], username=USERS[session["user_id"]]["username"])


@app.get("/shop/v1/<user_id>/orders")
@login_required
def orders(user_id):
    if user_id not in ORDERS:
        return jsonify(error="No orders found"), 404
    return jsonify(user_id=user_id, orders=ORDERS[user_id])


@app.get("/shop/v1/<user_id>/wishlist")  # want: py.route-missing-auth
def wishlist(user_id):
    if user_id not in WISHES:
        return jsonify(error="No wish list"), 404
    return jsonify(user_id=user_id, items=WISHES[user_id])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
