"""Notes service done right: every write loads the note with its owner,
create and update copy only the fields a client may set, and failed logins
are throttled per client (429 with Retry-After).
"""
import os
import secrets
import sys
import threading
from functools import wraps
from datetime import timedelta

from flask import Flask, jsonify, request
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from werkzeug.security import check_password_hash, generate_password_hash

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = os.environ.get("JWT_SECRET_KEY") or secrets.token_hex(32)
app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=15)
jwt = JWTManager(app)

USERS = {
    "alice": generate_password_hash("alice-pw", method="pbkdf2:sha256:1000"),
    "bob": generate_password_hash("bob-pw", method="pbkdf2:sha256:1000"),
    "root": generate_password_hash("root-pw", method="pbkdf2:sha256:1000"),
}
ADMINS = {"root"}
ANNOUNCEMENTS = {1: {"id": 1, "text": "welcome"}}
NOTES = {
    1: {"id": 1, "owner": "alice", "title": "groceries", "body": "milk", "tags": [], "approved": False},
    2: {"id": 2, "owner": "bob", "title": "todo", "body": "call mum", "tags": ["home"], "approved": False},
}
next_id = [100]
lock = threading.Lock()


throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="client")


def locked_for(client):
    """Seconds the caller must wait, 0 when it may try again."""
    return throttle.retry_after(throttle.key())


def record_failure(client):
    """Count one failed attempt."""
    throttle.fail(throttle.key())


ALLOWED = ("title", "body", "tags")


def own_note(note_id):
    """The caller's note, or None: others' notes do not exist for them."""
    note = NOTES.get(note_id)
    if note is None or note["owner"] != get_jwt_identity():
        return None
    return note


def body():
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


def valid(data):
    return data is not None and isinstance(data.get("title"), str) and data["title"].strip() != ""


@app.post("/api/login")
def login():
    client = request.remote_addr
    wait = locked_for(client)
    if wait:
        return jsonify(msg="Too many failed logins"), 429, {"Retry-After": str(wait)}
    data = body() or {}
    user = data.get("username")
    if user not in USERS or not check_password_hash(USERS[user], str(data.get("password", ""))):
        record_failure(client)
        return jsonify(msg="Bad username or password"), 401
    return jsonify(access_token=create_access_token(identity=user))


@app.get("/api/notes")
@jwt_required()
def list_notes():
    user = get_jwt_identity()
    return jsonify(notes=[n for n in NOTES.values() if n["owner"] == user])


@app.post("/api/notes")
@jwt_required()
def create_note():
    data = body()
    if not valid(data):
        return jsonify(error="title is required"), 422
    with lock:
        note = {"id": next_id[0], "owner": get_jwt_identity(), "body": "", "tags": [], "approved": False}
        next_id[0] += 1
        note.update({k: data[k] for k in ALLOWED if k in data})
        NOTES[note["id"]] = note
    return jsonify(note), 201


@app.get("/api/notes/<int:note_id>")
@jwt_required()
def get_note(note_id):
    note = own_note(note_id)
    if note is None:
        return jsonify(error="not found"), 404
    return jsonify(note)


@app.put("/api/notes/<int:note_id>")
@jwt_required()
def update_note(note_id):
    note = own_note(note_id)
    if note is None:
        return jsonify(error="not found"), 404
    data = body()
    if not valid(data):
        return jsonify(error="title is required"), 422
    note.update({k: data[k] for k in ALLOWED if k in data})
    return jsonify(note)


@app.patch("/api/notes/<int:note_id>")
@jwt_required()
def quick_edit_note(note_id):
    """Quick edit for the home-screen widget (which signs in like the app)."""
    note = own_note(note_id)
    data = body()
    if note is None or data is None:
        return jsonify(error="not found"), 404
    note.update({k: data[k] for k in ALLOWED if k in data})
    return jsonify(note)


@app.delete("/api/notes/<int:note_id>")
@jwt_required()
def delete_note(note_id):
    if own_note(note_id) is None:
        return jsonify(error="not found"), 404
    NOTES.pop(note_id, None)
    return "", 204


def admin_required(fn):
    """The caller must be an admin (checked after the token)."""
    @wraps(fn)
    def wrapper(*args, **kwargs):
        if get_jwt_identity() not in ADMINS:
            return jsonify(error="admins only"), 403
        return fn(*args, **kwargs)
    return wrapper


@app.get("/api/admin/announcements")
@jwt_required()
@admin_required
def list_announcements():
    return jsonify(announcements=list(ANNOUNCEMENTS.values()))


@app.post("/api/admin/announcements")
@jwt_required()
@admin_required
def create_announcement():
    data = body()
    if data is None or not isinstance(data.get("text"), str):
        return jsonify(error="text is required"), 422
    with lock:
        item = {"id": next_id[0], "text": data["text"]}
        next_id[0] += 1
        ANNOUNCEMENTS[item["id"]] = item
    return jsonify(item), 201


@app.get("/api/admin/announcements/<int:item_id>")
@jwt_required()
@admin_required
def get_announcement(item_id):
    item = ANNOUNCEMENTS.get(item_id)
    if item is None:
        return jsonify(error="not found"), 404
    return jsonify(item)


@app.delete("/api/admin/announcements/<int:item_id>")
@jwt_required()
@admin_required
def delete_announcement(item_id):
    if ANNOUNCEMENTS.pop(item_id, None) is None:
        return jsonify(error="not found"), 404
    return "", 204


@app.get("/health")
def health():
    return jsonify(status="ok")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
