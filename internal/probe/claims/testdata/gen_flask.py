"""Generates flask_sessions.json: session cookies signed by Flask itself.

Run: /usr/bin/python3 gen_flask.py > flask_sessions.json
"""
import json

from flask import Flask
from flask.sessions import SecureCookieSessionInterface

out = []
for secret, data in [("dev", {"user": "carol"}),
                     ("s3cr3t-key", {"user": "alice", "cart": ["x" * 40] * 20}),  # compressed
                     ("dev", {"user": "bob", "role": "user", "n": 3})]:
    app = Flask(__name__)
    app.secret_key = secret
    s = SecureCookieSessionInterface().get_signing_serializer(app)
    out.append({"secret": secret, "session": data, "cookie": s.dumps(data)})
print(json.dumps(out, indent=1))
