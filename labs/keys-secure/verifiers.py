"""Token verifiers of the billing service (secure twin): every scheme is
verified by PyJWT with a key the server holds and a pinned algorithm; header
members that name keys (jwk, jku, x5u) are ignored, kid is only looked up.

Each raises on a token it refuses and returns the claims otherwise.
"""
import json
import os
import sqlite3
import threading

import jwt

CFG = {}
LEEWAY = 30
REQUIRED = {"require": ["exp", "iat", "sub"]}
_db_lock = threading.Lock()


def init(**cfg):
    CFG.update(cfg)
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE partner_keys (kid TEXT PRIMARY KEY, secret TEXT)")
    db.executemany("INSERT INTO partner_keys VALUES (?, ?)", CFG["partner_keys"].items())
    CFG["db"] = db


def _jwk(key, kid, alg):
    algo = jwt.algorithms.RSAAlgorithm if alg.startswith("RS") else jwt.algorithms.ECAlgorithm
    d = json.loads(algo.to_jwk(key))
    d.update(kid=kid, use="sig", alg=alg)
    return d


def local_jwks():
    return [_jwk(CFG["rsa_key"].public_key(), CFG["rsa_kid"], "RS256"),
            _jwk(CFG["ec_key"].public_key(), CFG["ec_kid"], "ES256")]


def _local_key(kid, alg):
    """The server's key for kid, only for the algorithm it was made for."""
    keys = {CFG["rsa_kid"]: ("RS256", CFG["rsa_key"].public_key()),
            CFG["ec_kid"]: ("ES256", CFG["ec_key"].public_key())}
    if kid not in keys or keys[kid][0] != alg:
        raise jwt.InvalidKeyError("unknown kid")
    return keys[kid][1]


# --- web app (RS256) ---------------------------------------------------------

def web(token):
    kid = jwt.get_unverified_header(token).get("kid")
    return jwt.decode(token, _local_key(kid, "RS256"), algorithms=["RS256"], leeway=LEEWAY, options=REQUIRED)


# Every web route uses the reference verifier: v1 clients, key rotation and
# tenant key sets are served by publishing keys in our own JWKS.
web_v1 = web_header_key = web_jku = web_jku_pinned = web_x5u = web_x5u_pinned = web


# --- partners (HS256 with kid) -----------------------------------------------

def partner(token):
    kid = jwt.get_unverified_header(token).get("kid")
    if kid not in CFG["partner_keys"]:
        raise jwt.InvalidKeyError("unknown kid")
    return jwt.decode(token, CFG["partner_keys"][kid], algorithms=["HS256"], leeway=LEEWAY, options=REQUIRED)


def partner_file(token):
    """Keys are read from the key directory, for known kids only."""
    kid = jwt.get_unverified_header(token).get("kid")
    if kid not in CFG["partner_keys"]:
        raise jwt.InvalidKeyError("unknown kid")
    with open(os.path.join(CFG["partner_dir"], kid), encoding="utf-8") as fh:
        key = fh.read()
    if len(key) < 32:
        raise jwt.InvalidKeyError("key too short")
    return jwt.decode(token, key, algorithms=["HS256"], leeway=LEEWAY, options=REQUIRED)


def partner_sql(token):
    """Keys are looked up with a bound parameter."""
    kid = jwt.get_unverified_header(token).get("kid") or ""
    with _db_lock:
        row = CFG["db"].execute("SELECT secret FROM partner_keys WHERE kid = ?", (kid,)).fetchone()
    if row is None or len(row[0]) < 32:
        raise jwt.InvalidKeyError("unknown kid")
    return jwt.decode(token, row[0], algorithms=["HS256"], leeway=LEEWAY, options=REQUIRED)


# --- terminals (ES256) -------------------------------------------------------

def terminal(token):
    kid = jwt.get_unverified_header(token).get("kid")
    return jwt.decode(token, _local_key(kid, "ES256"), algorithms=["ES256"], leeway=LEEWAY, options=REQUIRED)


terminal_fast = terminal


# --- mobile wallet (HS256) ---------------------------------------------------

def wallet(token):
    return jwt.decode(token, CFG["wallet_secret"], algorithms=["HS256"], audience=CFG["wallet_aud"],
                      issuer=CFG["wallet_iss"], leeway=LEEWAY,
                      options={"require": ["exp", "iat", "iss", "aud", "sub"]})
