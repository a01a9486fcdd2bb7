#!/usr/bin/python3
"""Known-answer JWTs for internal/crack, signed by PyJWT (Debian python3-jwt).

Run with /usr/bin/python3 from internal/crack: ./testdata/gen_jwt.py > testdata/jwt_vectors.json
Each vector names the candidate source expected to recover the secret.
"""
import json
import jwt

CLAIMS = {"sub": "alice", "role": "user", "iat": 1700000000, "exp": 4102444800}
LONG = "k" * 70 + "-longer-than-one-sha256-block"
VERYLONG = "L" * 140 + "-longer-than-one-sha512-block"

CASES = [
    # (alg, secret, source): source is builtin, wordlist, mask, rules or none.
    ("HS256", "your-256-bit-secret", "builtin"),
    ("HS256", "super-secret", "builtin"),
    ("HS256", "", "builtin"),
    ("HS384", "changeme", "builtin"),
    ("HS512", "secret", "builtin"),
    ("HS256", "correct-horse-battery", "wordlist"),
    ("HS384", "correct-horse-battery", "wordlist"),
    ("HS512", "correct-horse-battery", "wordlist"),
    ("HS256", LONG, "wordlist"),
    ("HS512", VERYLONG, "wordlist"),
    ("HS256", "zq7", "mask"),
    ("HS512", "zq7", "mask"),
    ("HS256", "Summer2019!", "none"),
    ("HS256", "Dr4g0n2024", "rules"),
    ("HS256", "Zebra1987", "rules"),
    ("HS256", "x9#Kp2!vQw8$Lm4&Rt6*Yh1@Nb3^Jd5", "none"),
]

vectors = []
for alg, secret, source in CASES:
    claims = dict(CLAIMS, case=len(vectors))
    token = jwt.encode(claims, secret, algorithm=alg)
    # Sanity: PyJWT verifies its own token with the secret.
    jwt.decode(token, secret, algorithms=[alg])
    vectors.append({"alg": alg, "secret": secret, "source": source, "token": token})

print(json.dumps({"generator": "PyJWT " + jwt.__version__, "vectors": vectors}, indent=1))
