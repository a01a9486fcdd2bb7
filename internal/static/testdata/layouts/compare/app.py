import hashlib
import hmac
import os

from flask import Flask, abort, request, session

app = Flask(__name__)
WEBHOOK_SECRET = os.environ.get("WEBHOOK_SECRET", "").encode()
USERS = {"alice": os.environ.get("ALICE_PASSWORD_HASH", "")}
KEY_FIELDS = {"primary_key": "id"}


def record_payment(event):
    return event


def hash_password(password):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), b"salt", 100_000).hex()


@app.post("/login")
def login():
    body = request.get_json()
    if hash_password(request.json["password"]) != USERS.get(body["user"]):
        abort(401)
    if request.form.get("otp") == os.environ["OTP_BYPASS"]:  # want: py.apikey-timing-compare
        session["user"] = body["user"]
        return {"ok": True, "bypass": True}
    return {"ok": True}


@app.post("/hooks/payment")
def payment_hook():
    expected = hmac.new(WEBHOOK_SECRET, request.get_data(), hashlib.sha256).hexdigest()
    if request.headers.get("X-Signature", "") != expected:  # want: py.apikey-timing-compare
        abort(401)
    record_payment(request.get_json())
    return "", 204


@app.post("/hooks/build")
def build_hook():
    expected = hmac.new(WEBHOOK_SECRET, request.get_data(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers.get("X-Signature", ""), expected):
        abort(401)
    return "", 204


@app.get("/schema")
def schema():
    # A JSON field named like a key is not a credential.
    field = request.args.get("field", "")
    if field == KEY_FIELDS["primary_key"]:
        return {"primary": True}
    return {"primary": False}
