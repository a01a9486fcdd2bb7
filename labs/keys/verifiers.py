"""Token verifiers of the billing service, one per client generation.

Each raises on a token it refuses and returns the claims otherwise.
"""
import base64
import hashlib
import hmac
import json
import os
import sqlite3
import threading
import time
import urllib.request

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

import p256

CFG = {}
LEEWAY = 30
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


def _local_key(kid):
    keys = {CFG["rsa_kid"]: CFG["rsa_key"].public_key(), CFG["ec_kid"]: CFG["ec_key"].public_key()}
    return keys[kid]


def _b64(segment):
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _split(token):
    parts = token.split(".")
    if len(parts) != 3:
        raise jwt.DecodeError("not a JWT")
    header, claims = json.loads(_b64(parts[0])), json.loads(_b64(parts[1]))
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise jwt.DecodeError("bad segment")
    return parts, header, claims


def _check_times(claims):
    now = time.time()
    if "exp" not in claims or float(claims["exp"]) < now - LEEWAY:
        raise jwt.ExpiredSignatureError("expired")
    if float(claims.get("nbf", 0)) > now + LEEWAY or float(claims.get("iat", 0)) > now + LEEWAY:
        raise jwt.ImmatureSignatureError("not yet valid")
    return claims


def _fetch(url):
    with urllib.request.urlopen(url, timeout=3) as resp:
        return resp.read(65536)


# --- web app (RS256) ---------------------------------------------------------

def web(token):
    """The reference: key by kid from our JWKS, RS256 pinned."""
    kid = jwt.get_unverified_header(token).get("kid")
    return jwt.decode(token, _local_key(kid), algorithms=["RS256"], options={"require": ["exp", "iat"]})


def web_v1(token):
    """v1 SDKs signed with RS256 or, for server-to-server calls, HS256; the
    one configured verification key serves both."""
    parts, header, claims = _split(token)
    signing_input, sig = (parts[0] + "." + parts[1]).encode(), _b64(parts[2])
    if header.get("alg") == "RS256":
        CFG["rsa_key"].public_key().verify(sig, signing_input, padding.PKCS1v15(), hashes.SHA256())
    elif header.get("alg") == "HS256":  # want: py.jwt-alg-mixed
        expected = hmac.new(CFG["public_pem"], signing_input, hashlib.sha256).digest()
        if not hmac.compare_digest(sig, expected):
            raise jwt.InvalidSignatureError("bad signature")
    else:
        raise jwt.InvalidAlgorithmError("unsupported alg")
    return _check_times(claims)


def web_header_key(token):
    """Key rotation without redeploys: clients may send the key they signed with."""
    header = jwt.get_unverified_header(token)
    if "jwk" in header:
        key = jwt.PyJWK(header["jwk"]).key
    else:
        key = _local_key(header.get("kid"))
    return jwt.decode(token, key, algorithms=["RS256", "ES256"], options={"require": ["exp", "iat"]})  # want: py.jwt-key-from-header


def _jku_key(header):
    jku = header.get("jku")
    if not jku:
        return _local_key(header.get("kid"))
    keys = jwt.PyJWKSet.from_dict(json.loads(_fetch(jku)))
    for k in keys.keys:
        if k.key_id == header.get("kid"):
            return k.key
    raise jwt.InvalidKeyError("kid not in key set")


def web_jku(token):
    """Tenants host their own key sets; the token says where."""
    tenant_key = _jku_key(jwt.get_unverified_header(token))
    return jwt.decode(token, tenant_key, algorithms=["RS256"], options={"require": ["exp", "iat"]})  # want: py.jwt-key-from-header


def web_jku_pinned(token):
    """Key sets may be mirrored, but only our own signing key counts."""
    key = _jku_key(jwt.get_unverified_header(token))
    if key.public_numbers() != CFG["rsa_key"].public_key().public_numbers():
        raise jwt.InvalidKeyError("not our signing key")
    return jwt.decode(token, key, algorithms=["RS256"], options={"require": ["exp", "iat"]})


def _x5u_key(header):
    url = header.get("x5u")
    if not url:
        return _local_key(header.get("kid"))
    return x509.load_pem_x509_certificate(_fetch(url)).public_key()


def web_x5u(token):
    """Payout providers sign with certificates they publish."""
    provider_key = _x5u_key(jwt.get_unverified_header(token))
    return jwt.decode(token, provider_key, algorithms=["RS256"], options={"require": ["exp", "iat"]})  # want: py.jwt-key-from-header


def web_x5u_pinned(token):
    """Certificates are fetched, but must carry our signing key."""
    key = _x5u_key(jwt.get_unverified_header(token))
    if key.public_numbers() != CFG["rsa_key"].public_key().public_numbers():
        raise jwt.InvalidKeyError("not our signing key")
    return jwt.decode(token, key, algorithms=["RS256"], options={"require": ["exp", "iat"]})


# --- partners (HS256 with kid) -----------------------------------------------

def partner(token):
    """The reference: kid must name a known partner key."""
    kid = jwt.get_unverified_header(token).get("kid")
    return jwt.decode(token, CFG["partner_keys"][kid], algorithms=["HS256"], options={"require": ["exp"]})


def partner_file(token):
    """The shipping worker reads partner keys from the key directory."""
    kid = jwt.get_unverified_header(token).get("kid") or ""
    with open(os.path.join(CFG["partner_dir"], kid), encoding="utf-8") as fh:  # want: py.jwt-kid-path
        key = fh.read()
    return jwt.decode(token, key, algorithms=["HS256"], options={"require": ["exp"]})


def partner_sql(token):
    """The invoicing worker looks partner keys up in the database."""
    kid = jwt.get_unverified_header(token).get("kid") or ""
    with _db_lock:
        row = CFG["db"].execute(f"SELECT secret FROM partner_keys WHERE kid = '{kid}'").fetchone()  # want: py.jwt-kid-sql
    if row is None:
        raise jwt.InvalidKeyError("unknown kid")
    return jwt.decode(token, row[0], algorithms=["HS256"], options={"require": ["exp"]})


# --- terminals (ES256) -------------------------------------------------------

def terminal(token):
    return jwt.decode(token, CFG["ec_key"].public_key(), algorithms=["ES256"], options={"require": ["exp"]})


def terminal_fast(token):
    """Telemetry ingest: pure-Python ECDSA, no cryptography import in the worker."""
    parts, header, claims = _split(token)
    if header.get("alg") != "ES256":
        raise jwt.InvalidAlgorithmError("ES256 only")
    nums = CFG["ec_key"].public_key().public_numbers()
    if not p256.verify((nums.x, nums.y), (parts[0] + "." + parts[1]).encode(), _b64(parts[2])):
        raise jwt.InvalidSignatureError("bad signature")
    return _check_times(claims)


# --- mobile wallet (HS256) ---------------------------------------------------

def wallet(**overrides):
    """A wallet verifier; overrides are the shortcuts each route took."""
    def verify(token):
        options = {"require": ["exp", "iat", "iss", "aud", "sub"]}
        options.update(overrides.get("options", {}))
        kwargs = dict(algorithms=["HS256"], audience=CFG["wallet_aud"], issuer=CFG["wallet_iss"], leeway=LEEWAY)
        kwargs.update({k: v for k, v in overrides.items() if k != "options"}, options=options)
        return jwt.decode(token, CFG["wallet_secret"], **{k: v for k, v in kwargs.items() if v is not None})
    return verify
