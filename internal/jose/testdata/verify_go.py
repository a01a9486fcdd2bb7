#!/usr/bin/python3
"""Verifies tokens made by internal/jose with PyJWT. Reads JSON from stdin:
{"keys": {name: public PEM}, "tokens": [{"name", "alg", "secret"|"key", "token"}]}
and prints one line per token: "ok NAME" or "fail NAME: reason"."""
import json
import sys

import jwt

req = json.load(sys.stdin)
print("pyjwt", jwt.__version__)
for t in req["tokens"]:
    key = t["secret"] if "secret" in t else req["keys"][t["key"]]
    try:
        jwt.decode(t["token"], key, algorithms=[t["alg"]],
                   options={"verify_exp": False, "verify_iat": False, "verify_nbf": False,
                            "verify_aud": False, "verify_iss": False})
        print("ok", t["name"])
    except Exception as exc:
        print("fail %s: %s: %s" % (t["name"], type(exc).__name__, exc))
