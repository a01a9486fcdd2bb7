"""Gates that refuse with whatever answer they build: a hook whose check
sits two ifs deep behind a setting, refusing with a response whose status
is set after it is made, and exempting an allow-list it tests in a way the
model cannot evaluate; a decorator refusing with a project helper whose
first parameter is the success flag; a decorator whose only raise is a bare
re-raise (it refuses nothing)."""
import os

from flask import Flask, jsonify, make_response, request, session

app = Flask(__name__)
app.secret_key = os.environ.get("SECRET_KEY")
AUTH_REQUIRED = os.environ.get("AUTH_REQUIRED", "1") == "1"
OPEN_PATHS = ["/open/", "signin"]


def Reply(ok=True, message=None, data=None, status=200):
    resp = make_response(jsonify(ok=ok, message=message, data=data))
    resp.status_code = status
    return resp


@app.before_request
def gate():
    if AUTH_REQUIRED:
        key = request.headers.get("X-Api-Key")
        if key:
            return None
        else:
            if "user" not in session and not any(p in request.path for p in OPEN_PATHS):
                resp = make_response(jsonify(message="sign in first"))
                resp.status_code = 401
                return resp


def member_required(view):
    def wrapper(*args, **kwargs):
        if session.get("role") != "member":
            return Reply(False, "members only")
        return view(*args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def logged(view):
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except Exception:
            app.logger.exception("failed")
            raise

    wrapper.__name__ = view.__name__
    return wrapper


@app.get("/open/health")
def health():
    return {"ok": True}


@app.post("/api/signin")
def signin():
    session["user"] = request.form["user"]
    return {"ok": True}


@app.get("/api/items")
def items():
    return {"items": []}


@app.get("/api/members/board")
@member_required
def board():
    return {"posts": []}


@app.get("/api/report")
@logged
def report():
    return {"rows": []}
