#!/usr/bin/python3
"""Writes pyjwt_vectors.json and the PEM keys next to it: known-answer JWTs made
by PyJWT (Debian's python3-jwt) that internal/jose must reproduce (HS*, RS*,
byte for byte) or verify (PS*, ES*).

Run with /usr/bin/python3 (scripts/install-deps.sh installs python3-jwt):
    /usr/bin/python3 internal/jose/testdata/gen_vectors.py
"""
import json
import os
import sys

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

HERE = os.path.dirname(os.path.abspath(__file__))


def pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def pub_pem(key):
    return key.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo,
    ).decode()


def main():
    keys = {
        "rsa": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "ec256": ec.generate_private_key(ec.SECP256R1()),
        "ec384": ec.generate_private_key(ec.SECP384R1()),
        "ec521": ec.generate_private_key(ec.SECP521R1()),
    }
    payloads = [
        {"sub": "alice", "role": "user", "iat": 1764000000, "exp": 1764000900},
        {"sub": "b\u00f6b", "nested": {"a": [1, 2.5, None, True]}, "n": -12345678901234},
        {},
    ]
    hmac_keys = ["secret", "", "k" * 100, "p\u00e4ssw\u00f6rd"]
    vectors = []
    for alg in ("HS256", "HS384", "HS512"):
        for secret in hmac_keys:
            for i, payload in enumerate(payloads):
                try:
                    tok = jwt.encode(payload, secret, algorithm=alg)
                except Exception as exc:  # an empty key refused by this PyJWT
                    print("skip %s key=%r: %s" % (alg, secret, exc), file=sys.stderr)
                    continue
                vectors.append({"name": "%s/key%d/payload%d" % (alg, hmac_keys.index(secret), i),
                                "alg": alg, "secret": secret, "token": tok})
    asym = [("RS256", "rsa"), ("RS384", "rsa"), ("RS512", "rsa"), ("PS256", "rsa"),
            ("PS384", "rsa"), ("PS512", "rsa"), ("ES256", "ec256"), ("ES384", "ec384"),
            ("ES512", "ec521")]
    for alg, name in asym:
        for i, payload in enumerate(payloads):
            tok = jwt.encode(payload, keys[name], algorithm=alg, headers={"kid": name})
            vectors.append({"name": "%s/payload%d" % (alg, i), "alg": alg, "key": name, "token": tok})
    # Extra header members.
    tok = jwt.encode(payloads[0], "secret", algorithm="HS256", headers={"kid": "k1", "cty": "x"})
    vectors.append({"name": "HS256/extra-header", "alg": "HS256", "secret": "secret", "token": tok})

    out = {
        "generator": "PyJWT %s" % jwt.__version__,
        "keys": {n: {"private": pem(k), "public": pub_pem(k)} for n, k in keys.items()},
        "vectors": vectors,
    }
    for n, k in keys.items():
        with open(os.path.join(HERE, "%s_private.pem" % n), "w") as f:
            f.write(pem(k))
    with open(os.path.join(HERE, "pyjwt_vectors.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote %d vectors" % len(vectors), file=sys.stderr)


if __name__ == "__main__":
    main()
