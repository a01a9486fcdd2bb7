#!/usr/bin/python3
"""Known-answer Flask session cookies for internal/crack, set by Flask itself
(Debian python3-flask) through its test client.

Run with /usr/bin/python3 from internal/crack: ./testdata/gen_flask.py > testdata/flask_vectors.json
"""
import json

import flask
from flask import Flask, session

CASES = [
    # (SECRET_KEY, session data, source)
    ("dev", {"user_id": 7}, "builtin"),
    ("super secret key", {"user": "alice", "role": "admin"}, "builtin"),
    ("correct-horse-battery", {"user": "bob"}, "wordlist"),
    # Repetitive data that zlib shrinks: itsdangerous then emits ".<zlib>".
    ("hard to guess string", {"cart": ["item-%d" % (i % 3) for i in range(60)]}, "builtin"),
    ("zq7", {"cart": ["sku-0001"] * 40}, "mask"),
    ("Zebra1987", {"user": "carol"}, "rules"),
    ("Summer2019!", {"user": "dave"}, "none"),
]


def cookie_for(secret, data):
    app = Flask(__name__)
    app.config["SECRET_KEY"] = secret

    @app.route("/login")
    def login():
        session.update(data)
        return "ok"

    client = app.test_client()
    resp = client.get("/login")
    for header in resp.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        if name == app.config["SESSION_COOKIE_NAME"]:
            return rest.split(";", 1)[0]
    raise SystemExit("Flask set no session cookie")


vectors = []
for secret, data, source in CASES:
    cookie = cookie_for(secret, data)
    vectors.append({"secret": secret, "source": source, "compressed": cookie.startswith("."),
                    "cookie": cookie})

if not any(v["compressed"] for v in vectors) or all(v["compressed"] for v in vectors):
    raise SystemExit("want both compressed and uncompressed cookies")
print(json.dumps({"generator": "Flask " + flask.__version__, "vectors": vectors}, indent=1))
