"""Pinboard done right (twin of labs/pinboard): the same pages and forms,
but pinning needs a member, and a pin is removed by its author only (403
for another member, 401 without a session).
"""
import html
import os
import secrets
import sys
import threading
from functools import wraps

from flask import Flask, jsonify, redirect, request, session
from werkzeug.security import check_password_hash, generate_password_hash

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
app.secret_key = os.environ.get("PINBOARD_SECRET") or secrets.token_hex(32)
CSRF = secrets.token_hex(16)  # one per process, in every form
HASH = "pbkdf2:sha256:1000"
USERS = {u: {"pw": generate_password_hash(u + "-pw", method=HASH), "email": u + "@example.com"} for u in ("alice", "bob")}
DUMMY = generate_password_hash("dummy", method=HASH)
PINS = {1: {"id": 1, "title": "Kitchen rota", "body": "Mondays: alice", "author": "alice"}}
MESSAGES = []
lock = threading.Lock()
next_id = [2]
throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="route")


def login_required(view):
    @wraps(view)
    def wrapper(*a, **kw):
        if session.get("user") not in USERS:
            return jsonify(error="sign in first"), 401
        return view(*a, **kw)
    return wrapper


def csrf_ok():
    return secrets.compare_digest(request.form.get("csrf_token", ""), CSRF)


@app.get("/health")  # authprobe: ignore[py.route-missing-auth] -- liveness probe, public by design
def health():
    return jsonify(status="ok")


@app.post("/login")
def login():
    wait = throttle.retry_after(throttle.key())
    if wait:
        return labthrottle.too_many(wait)
    name = request.form.get("username", "")
    user = USERS.get(name)
    if not check_password_hash(user["pw"] if user else DUMMY, request.form.get("password", "")):
        throttle.fail(throttle.key())
        return jsonify(error="bad username or password"), 401
    session["user"] = name
    return redirect("/board", code=303)


@app.get("/board")  # authprobe: ignore[py.route-missing-auth] -- the board is public by design
def board():
    rows = "".join(
        f'<tr class="pin"><td class="title">{html.escape(p["title"])}</td><td>{html.escape(p["body"])}</td>'
        f'<td><form method="post" action="/pins/{p["id"]}/remove"><input type="hidden" name="csrf_token" value="{CSRF}">'
        f'<button type="submit">Remove</button></form></td></tr>'
        for p in sorted(PINS.values(), key=lambda p: p["id"]))
    return (f'<!DOCTYPE html><html><head><title>Pinboard</title></head><body><h1>Pinboard</h1>'
            f'<form method="post" action="/pins"><input type="hidden" name="csrf_token" value="{CSRF}">'
            f'<input type="text" name="title" required><textarea name="body"></textarea><button type="submit">Pin it</button></form>'
            f'<table><thead><tr><th>Title</th><th>Notice</th><th></th></tr></thead><tbody>{rows}</tbody></table></body></html>')


@app.post("/pins")
@login_required
def create_pin():
    if not csrf_ok():
        return jsonify(error="bad csrf token"), 400
    title = request.form.get("title", "").strip()
    if not title:
        return jsonify(error="title is required"), 400
    with lock:
        pid = next_id[0]
        next_id[0] += 1
        PINS[pid] = {"id": pid, "title": title, "body": request.form.get("body", ""), "author": session.get("user", "")}
    return redirect("/board", code=303)


@app.post("/pins/<int:pid>/remove")
@login_required
def remove_pin(pid):
    if not csrf_ok():
        return jsonify(error="bad csrf token"), 400
    with lock:
        pin = PINS.get(pid)
        if pin is None:
            return jsonify(error="no such pin"), 404
        if pin["author"] != session["user"]:
            return jsonify(error="not your pin"), 403
        PINS.pop(pid, None)
    return redirect("/board")


@app.get("/account")
@login_required
def account():
    name = session["user"]
    return jsonify(username=name, email=USERS[name]["email"], messages=[m for m in MESSAGES if m["from"] == name])


@app.post("/messages")
@login_required
def send_message():
    text = request.form.get("text", "").strip()
    if not text:
        return jsonify(error="text is required"), 400
    with lock:
        MESSAGES.append({"from": session["user"], "text": text})
    return redirect("/account", code=303)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
