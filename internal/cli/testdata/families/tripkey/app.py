"""Trip guide API whose writers forgot the gate: one static service key
in an X-Service-Key header guards the deletes only. Creating and editing
venues and guides needs no credential at all, and the key check on the
deletes counts no failures. Bodies are validated by hand: a missing field
is answered 422 {"errors": {"field": "required"}}.
"""
import base64
import hashlib
import hmac
import itertools
import json
import secrets
import time
import os
import threading
from functools import wraps

from flask import Flask, jsonify, request

app = Flask(__name__)
SERVICE_KEY = os.environ.get("TRIP_SERVICE_KEY", "trip-ops-key-2024")
SESSION_SECRET = "changeme"  # signs the editors' session tokens
lock = threading.Lock()
ids = itertools.count(3)
DATA = {
    "venues": {1: {"id": 1, "title": "Harbour hall", "city": "Porto", "seats": 300}},
    "guides": {2: {"id": 2, "title": "Old town walk", "city": "Porto", "minutes": 90}},
}
FIELDS = {"venues": ("title", "city", "seats"), "guides": ("title", "city", "minutes")}


def service_key_required(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        if not hmac.compare_digest(request.headers.get("X-Service-Key", ""), SERVICE_KEY):
            return jsonify(error="forbidden"), 403
        return f(*args, **kwargs)
    return wrapper


def validated(kind, partial=False):
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return None, (jsonify(errors={"body": "a JSON object is required"}), 422)
    missing = [k for k in FIELDS[kind] if k not in body]
    if missing and not partial:
        return None, (jsonify(errors={k: "required" for k in missing}), 422)
    return {k: body[k] for k in FIELDS[kind] if k in body}, None


def listing(kind):
    with lock:
        return jsonify(list(DATA[kind].values()))


def one(kind, oid):
    with lock:
        rec = DATA[kind].get(oid)
    return (jsonify(rec), 200) if rec else (jsonify(error="not found"), 404)


def create(kind):
    rec, err = validated(kind)
    if err:
        return err
    with lock:
        rec["id"] = next(ids)
        DATA[kind][rec["id"]] = rec
    return jsonify(rec), 201


def update(kind, oid):
    rec, err = validated(kind, partial=True)
    if err:
        return err
    with lock:
        if oid not in DATA[kind]:
            return jsonify(error="not found"), 404
        DATA[kind][oid].update(rec)
        return jsonify(DATA[kind][oid])


def delete(kind, oid):
    with lock:
        if DATA[kind].pop(oid, None) is None:
            return jsonify(error="not found"), 404
    return "", 204


@app.get("/v2/venues")
def venues():
    return listing("venues")


@app.post("/v2/venues")
def add_venue():
    return create("venues")


@app.get("/v2/venues/<int:vid>")
def venue(vid):
    return one("venues", vid)


@app.patch("/v2/venues/<int:vid>")
def edit_venue(vid):
    return update("venues", vid)


@app.delete("/v2/venues/<int:vid>")
@service_key_required
def remove_venue(vid):
    return delete("venues", vid)


@app.get("/v2/guides")
def guides():
    return listing("guides")


@app.post("/v2/guides")
def add_guide():
    return create("guides")


@app.get("/v2/guides/<int:gid>")
def guide(gid):
    return one("guides", gid)


@app.patch("/v2/guides/<int:gid>")
def edit_guide(gid):
    return update("guides", gid)


@app.delete("/v2/guides/<int:gid>")
@service_key_required
def remove_guide(gid):
    return delete("guides", gid)


@app.post("/v2/session")
@service_key_required
def open_session():
    """A session token for the editors' front end (HS256, signed with a weak secret)."""
    key = SESSION_SECRET.encode()
    now = int(time.time())
    parts = [json.dumps({"alg": "HS256", "typ": "JWT"}), json.dumps({"sub": "editor", "iat": now, "exp": now + 900})]
    head, body = (base64.urlsafe_b64encode(x.encode()).rstrip(b"=").decode() for x in parts)
    mac = hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest()
    sig = base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    return jsonify(token=f"{head}.{body}.{sig}")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
