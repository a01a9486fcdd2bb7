"""Product catalog API whose one static API key (X-Api-Key, a hash compare)
guards deletion only, while adding a product and relabelling
one need no key at all: missing authentication with no refusing sibling (the
writes beside them are open too). A missing or wrong key is refused with 200
{"success": false, "error": ...}. POST /api/signup takes an e-mail and a
password and issues a key: anonymous by design. Unknown keys are throttled
(429 + Retry-After), except on DELETE, whose check counts no failure.

Run: PORT=5000 /usr/bin/python3 app.py
"""
import hmac
import itertools
import os
import secrets
import sys
import threading

from flask import Flask, jsonify, request, session

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labrefusal  # noqa: E402  (labs/_lib: the refusal styles REFUSAL selects)
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
labrefusal.install(app)
app.secret_key = secrets.token_bytes(32)
# The one key, provisioned beside the app (key.txt), never in the code.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "key.txt")) as f:
    API_KEY = f.read().strip()
PRODUCTS = {
    1: {"id": 1, "name": "kettle", "label": "kitchen"},
    2: {"id": 2, "name": "teapot", "label": "kitchen"},
}
ACCOUNTS = {}
STAFF = {"7": {"username": "sam", "password": "sam-pw-2026"}}
ids = itertools.count(3)
lock = threading.Lock()
guessing = labthrottle.Throttle(limit=20, window=60.0, lockout=5, scope="route")


def refused():
    labrefusal.mark()
    return jsonify(success=False, error="a valid X-Api-Key is required")


def key_ok():
    """The key check; a failure counts toward the throttle."""
    if hmac.compare_digest(request.headers.get("X-Api-Key", ""), API_KEY):
        return True
    guessing.fail(guessing.key())
    return False


@app.before_request
def throttled():
    wait = guessing.retry_after(guessing.key())
    if wait:
        return jsonify(error="too many attempts"), 429, {"Retry-After": str(wait)}
    return None


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/api/products")
def products():
    with lock:
        return jsonify(products=list(PRODUCTS.values()))


@app.get("/api/products/<int:product_id>")
def product(product_id):
    with lock:
        p = PRODUCTS.get(product_id)
    if p is None:
        return jsonify(success=False, error="no such product"), 404
    return jsonify(p)


@app.post("/api/products/add")
def add_product():
    body = request.get_json(silent=True) or {}
    if not body.get("name"):
        return jsonify(success=False, errors={"name": "required"}), 400
    with lock:
        p = {"id": next(ids), "name": str(body["name"]), "label": str(body.get("label", ""))}
        PRODUCTS[p["id"]] = p
    return jsonify(success=True, message="product added")


@app.put("/api/products/<int:product_id>/label")
def relabel(product_id):
    body = request.get_json(silent=True) or {}
    with lock:
        p = PRODUCTS.get(product_id)
        if p is None:
            return jsonify(success=False, error="no such product"), 404
        p["label"] = str(body.get("label", ""))
    return jsonify(success=True)


@app.delete("/api/products/<int:product_id>")
def delete_product(product_id):
    # The key is checked here, but failures are not counted: guessing it
    # on this route is never throttled.
    if not hmac.compare_digest(request.headers.get("X-Api-Key", ""), API_KEY):
        return refused()
    with lock:
        if PRODUCTS.pop(product_id, None) is None:
            return jsonify(success=False, error="no such product"), 404
    return jsonify(success=True)



@app.post("/api/signup")
def signup():
    body = request.get_json(silent=True) or {}
    email, password = str(body.get("email", "")), str(body.get("password", ""))
    if "@" not in email or len(password) < 8:
        return jsonify(success=False, errors={"email": "required", "password": "8 characters or more"}), 400
    with lock:
        ACCOUNTS[email] = password
    return jsonify(success=True, api_key="ck_user_" + secrets.token_hex(16)), 201


@app.post("/api/staff/<staff_id>/login")
def staff_login(staff_id):
    body = request.get_json(silent=True) or {}
    if body.get("grant_type") != "password":
        return jsonify(detail=[{"loc": ["body", "grant_type"], "msg": "must be password"}]), 422
    s = STAFF.get(staff_id)
    if not s or s["username"] != body.get("username") or not hmac.compare_digest(s["password"], str(body.get("password", ""))):
        return jsonify(success=False, error="bad credentials"), 401
    session["staff"] = staff_id
    return jsonify(success=True)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
