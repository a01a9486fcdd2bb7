"""Notes service whose writes need bodies: reads check the owner, writes do
not.

- PUT and DELETE /api/notes/<id> only check that the caller is logged in,
  not that the note is theirs (BOLA on update and delete).
- POST /api/notes copies the whole request into the note: approved (a
  moderator's flag the spec marks read-only) and any other field stick
  (mass assignment).
- Logins are not throttled.
"""
import os
import threading
from datetime import timedelta

from flask import Flask, jsonify, request
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
# The key every developer machine and the staging server share.
app.config["JWT_SECRET_KEY"] = "b7d1e04c9a3f6e2851c0d9a7f4b3e6c2"  # want: py.jwt-hardcoded-secret
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


def body():
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


def valid(data):
    return data is not None and isinstance(data.get("title"), str) and data["title"].strip() != ""


@app.post("/api/login")
def login():
    data = body() or {}
    user = data.get("username")
    if user not in USERS or not check_password_hash(USERS[user], str(data.get("password", ""))):
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
        note.update({k: v for k, v in data.items() if k not in ("id", "owner")})
        NOTES[note["id"]] = note
    return jsonify(note), 201


@app.get("/api/notes/<int:note_id>")
@jwt_required()
def get_note(note_id):
    note = NOTES.get(note_id)
    if note is None or note["owner"] != get_jwt_identity():
        return jsonify(error="not found"), 404
    return jsonify(note)


@app.put("/api/notes/<int:note_id>")
@jwt_required()
def update_note(note_id):
    note = NOTES.get(note_id)
    if note is None:
        return jsonify(error="not found"), 404
    data = body()
    if not valid(data):
        return jsonify(error="title is required"), 422
    note.update({k: data[k] for k in ("title", "body", "tags") if k in data})
    return jsonify(note)


@app.patch("/api/notes/<int:note_id>")  # want: py.route-missing-auth
def quick_edit_note(note_id):
    """Quick edit for the home-screen widget, which has no token."""
    note = NOTES.get(note_id)
    data = body()
    if note is None or data is None:
        return jsonify(error="not found"), 404
    note.update({k: data[k] for k in ("title", "body", "tags") if k in data})
    return jsonify(note)


@app.delete("/api/notes/<int:note_id>")
@jwt_required()
def delete_note(note_id):
    if NOTES.pop(note_id, None) is None:
        return jsonify(error="not found"), 404
    return "", 204


def is_admin():
    return get_jwt_identity() in ADMINS


@app.get("/api/admin/announcements")
@jwt_required()
def list_announcements():
    if not is_admin():
        return jsonify(error="admins only"), 403
    return jsonify(announcements=list(ANNOUNCEMENTS.values()))


@app.post("/api/admin/announcements")
@jwt_required()
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
def get_announcement(item_id):
    if not is_admin():
        return jsonify(error="admins only"), 403
    item = ANNOUNCEMENTS.get(item_id)
    if item is None:
        return jsonify(error="not found"), 404
    return jsonify(item)


@app.delete("/api/admin/announcements/<int:item_id>")
@jwt_required()
def delete_announcement(item_id):
    if ANNOUNCEMENTS.pop(item_id, None) is None:
        return jsonify(error="not found"), 404
    return "", 204


@app.get("/health")
def health():
    return jsonify(status="ok")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
