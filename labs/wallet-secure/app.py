"""The wallet API of labs/wallet done right: GET /api/users/<user_id>/wallet
answers 403 unless the token's sub is the user in the path.

Run: PORT=5000 /usr/bin/python3 app.py
"""
import os
import secrets
import sys
from datetime import datetime, timedelta, timezone
from functools import wraps

import jwt
from flask import Flask, g, jsonify, request

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
SECRET = secrets.token_hex(32)
USERS = {
    "ann@example.com": {"id": 31, "password": "ann-pw-9"},
    "bob@example.com": {"id": 32, "password": "bob-pw-9"},
}
WALLETS = {
    31: {"user_id": 31, "balance": 1250, "cards": ["4111-xxxx-0031"]},
    32: {"user_id": 32, "balance": 80, "cards": ["5500-xxxx-0032"]},
}
throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="route")
# Bad tokens per client and route: the 20th within 60 seconds locks the
# client out of that route for 5 seconds (429 + Retry-After).
guessing = labthrottle.Throttle(limit=20, window=60.0, lockout=5, scope="route")


@app.get("/health")  # authprobe: ignore[py.route-missing-auth] -- liveness probe, public by design
def health():
    return jsonify(status="ok")


@app.post("/api/login")
def login():
    wait = throttle.retry_after(throttle.key())
    if wait:
        return labthrottle.too_many(wait, msg="too many attempts")
    data = request.get_json(silent=True) or {}
    user = USERS.get(str(data.get("email", "")))
    ok = secrets.compare_digest(user["password"] if user else "authprobe-lab-no-user", str(data.get("password", "")))
    if user is None or not ok:
        throttle.fail(throttle.key())
        return jsonify(error="bad credentials"), 401
    exp = datetime.now(timezone.utc) + timedelta(minutes=15)
    return jsonify(access_token=jwt.encode({"sub": str(user["id"]), "exp": exp}, SECRET, algorithm="HS256"))


def login_required(view):
    @wraps(view)
    def wrapper(*a, **kw):
        wait = guessing.retry_after(guessing.key())
        if wait:
            return labthrottle.too_many(wait, msg="too many attempts")
        try:
            claims = jwt.decode(request.headers.get("Authorization", "").removeprefix("Bearer "), SECRET,
                                algorithms=["HS256"], options={"require": ["exp", "sub"]})
        except jwt.PyJWTError:
            guessing.fail(guessing.key())
            return jsonify(error="unauthorized"), 401
        g.uid = int(claims["sub"])
        return view(*a, **kw)
    return wrapper


@app.get("/api/users/<int:user_id>/wallet")
@login_required
def wallet(user_id):
    if user_id != g.uid:
        return jsonify(error="forbidden"), 403
    w = WALLETS.get(user_id)
    if w is None:
        return jsonify(error="not found"), 404
    return jsonify(w)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
