import os

import jwt
from flask import Flask, abort, g, request

app = Flask(__name__)
ISSUERS = {"https://id.example.com": os.environ.get("ID_KEY", "")}


def verify(token):
    # Peek at the issuer to pick its key, then verify with that key.
    issuer = jwt.decode(token, options={"verify_signature": False})["iss"]  # want: py.jwt-unverified@review
    return jwt.decode(token, ISSUERS[issuer], algorithms=["HS256"], issuer=issuer, options={"require": ["exp"]})


@app.before_request
def remember_caller():
    # Never refuses: it only keeps the credential for the audit log.
    g.authorization = request.headers.get("Authorization", "")
    g.request_id = request.headers.get("X-Request-Id", "")


def login_required(view):
    def wrapper(*args, **kwargs):
        token = g.authorization.removeprefix("Bearer ")
        if not token:
            abort(401)
        g.user = verify(token)
        return view(*args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


@app.get("/config")
def config():
    return {"issuers": sorted(ISSUERS)}


@app.get("/orders")
@login_required
def orders():
    return []


@app.get("/admin/stats")  # want: py.route-missing-auth
def stats():
    return {"orders": 0}


def _decode(encoded_token, secret):
    return jwt.decode(encoded_token, secret, algorithms=["HS256"], options={"require": ["exp"]})


def decode_with_callback(encoded_token):
    # flask-jwt-extended style: peek to choose the key, verify in a helper.
    unverified = jwt.decode(encoded_token, options={"verify_signature": False})  # want: py.jwt-unverified@review
    kwargs = {"encoded_token": encoded_token, "secret": ISSUERS[unverified["iss"]]}
    return _decode(**kwargs)


def verify_partner(id_token, jwks):
    from authlib.jose import JsonWebKey, jwt as authlib_jwt

    # Keys from a JWK Set pin the algorithm family: no confusion.
    keyset = JsonWebKey.import_key_set(jwks)
    claims = authlib_jwt.decode(id_token, keyset)
    claims.validate()
    return claims


def verify_legacy(id_token):
    from authlib.jose import jwt as authlib_jwt

    claims = authlib_jwt.decode(id_token, os.environ["LEGACY_KEY"])  # want: py.jwt-no-algorithms
    claims.validate()
    return claims
