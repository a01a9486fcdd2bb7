package fix

// jwtCases are the token fixes: decode, verifier branches, keys in loops,
// claims, lifetimes, authlib, token types.
var jwtCases = []fixerCase{
	{"audience checked against the value the tokens carry", "jwt.aud-not-validated", `import jwt
def login(u):
    return jwt.encode({"sub": u, "aud": "billing", "exp": 1}, KEY, algorithm="HS256")
def me(t):
    return jwt.decode(t, KEY, algorithms=["HS256"], options={"require": ["exp"]})  # <-
`, `import jwt
def login(u):
    return jwt.encode({"sub": u, "aud": "billing", "exp": 1}, KEY, algorithm="HS256")
def me(t):
    return jwt.decode(t, KEY, algorithms=["HS256"], options={"require": ["exp"]}, audience="billing")
`},
	{"unverified decode pinned, exp required as the issuer sets it", "jwt.signature-not-verified", `import jwt
def login(u):
    return jwt.encode({"sub": u, "exp": 1}, SECRET, algorithm="HS256")
def me(t):
    return jwt.decode(t, SECRET, options={"verify_signature": False})  # <-
`, `import jwt
def login(u):
    return jwt.encode({"sub": u, "exp": 1}, SECRET, algorithm="HS256")
def me(t):
    return jwt.decode(t, SECRET, options={"require": ["exp"]}, algorithms=["HS256"])
`},
	{"PyJWT 1.x verify=False, key from the file's encode", "py.jwt-unverified", `import jwt
KEY = "x"
def login(u):
    return jwt.encode({"sub": u}, KEY, algorithm="HS512")
def me(t):
    return jwt.decode(t, verify=False)  # <-
`, `import jwt
KEY = "x"
def login(u):
    return jwt.encode({"sub": u}, KEY, algorithm="HS512")
def me(t):
    return jwt.decode(t, KEY, algorithms=["HS512"])
`},
	{"python-jose get_unverified_claims", "py.jwt-unverified-claims", `from jose import jwt
def login(u):
    return jwt.encode({"sub": u}, KEY, algorithm="HS256")
def me(t):
    return jwt.get_unverified_claims(t)["sub"]  # <-
`, `from jose import jwt
def login(u):
    return jwt.encode({"sub": u}, KEY, algorithm="HS256")
def me(t):
    return jwt.decode(t, KEY, algorithms=["HS256"])["sub"]
`},
	{"mixed list pinned to the issuer's algorithm", "py.jwt-alg-mixed", `import jwt
def login(u):
    return jwt.encode({"sub": u}, PRIV, algorithm="RS256")
def me(t):
    return jwt.decode(t, PUB, algorithms=["RS256", "HS256", "none"])  # <-
`, `import jwt
def login(u):
    return jwt.encode({"sub": u}, PRIV, algorithm="RS256")
def me(t):
    return jwt.decode(t, PUB, algorithms=["RS256"])
`},
	{"alg none branch with an else", "jwt.alg-none", `def verify(t, h):
    if h["alg"].lower() == "none":  # <-
        return claims(t)
    else:
        return strict(t)
`, `def verify(t, h):
    return strict(t)
`},
	{"optional signature check made unconditional", "jwt.signature-stripped", `def verify(parts):
    sig = parts[2]
    if sig:  # <-
        if not ok(sig):
            raise Bad()
    return parts
`, `def verify(parts):
    sig = parts[2]
    if not ok(sig):
        raise Bad()
    return parts
`},
	{"weak default secret from the environment", "jwt.weak-secret", `import jwt
SECRET = os.environ.get("APP_SECRET", "changeme")  # <-
`, `import os
import jwt
SECRET = os.environ["APP_SECRET"]
if len(SECRET) < 32:
    raise RuntimeError("APP_SECRET must hold a random secret of at least 32 bytes")
`},
	{"flask-jwt-extended query_string location", "jwt.token-in-query", `app.config["JWT_TOKEN_LOCATION"] = ["headers", "query_string"]  # <-
`, `app.config["JWT_TOKEN_LOCATION"] = ["headers"]
`},
	{"flask-jwt-extended lifetime off", "py.jwtx-no-expiry", `import os
app.config["JWT_ACCESS_TOKEN_EXPIRES"] = False  # <-
`, `import os
app.config["JWT_ACCESS_TOKEN_EXPIRES"] = int(os.environ.get("JWT_ACCESS_TOKEN_EXPIRES", "900"))
`},
	{"empty rotated key left out", "jwt.blank-secret", `def verify(t):
    for key in KEYS:
        try:
            return jwt.decode(t, key, algorithms=["HS256"])  # <-
        except jwt.InvalidSignatureError:
            continue
`, `def verify(t):
    for key in [k for k in KEYS if k]:
        try:
            return jwt.decode(t, key, algorithms=["HS256"])
        except jwt.InvalidSignatureError:
            continue
`},
	{"sensitive claim dropped", "jwt.sensitive-claims", `def login(u):
    claims = {"sub": u, "password_hash": H[u]}  # <-
    return issue(claims)
`, `def login(u):
    claims = {"sub": u}
    return issue(claims)
`},
	{"refresh endpoint takes refresh tokens", "session.access-at-refresh", `@app.post("/refresh")
@jwt_required(verify_type=False)  # <-
def refresh():
    return create_access_token(identity=get_jwt_identity())
`, `@app.post("/refresh")
@jwt_required(refresh=True)
def refresh():
    return create_access_token(identity=get_jwt_identity())
`},
	{"verified decode that failed open now refuses", "authz.weaker-credential-wins", `import jwt
def login(u):
    return jwt.encode({"sub": u}, K, algorithm="HS256")
def gate():
    try:
        claims = jwt.decode(tok(), options={"verify_signature": False})  # <-
    except jwt.DecodeError:
        claims = {}
    if not claims:
        return jsonify(error="login required"), 401
    return claims
`, `import jwt
def login(u):
    return jwt.encode({"sub": u}, K, algorithm="HS256")
def gate():
    try:
        claims = jwt.decode(tok(), K, algorithms=["HS256"])
    except jwt.InvalidTokenError:
        return jsonify(error="login required"), 401
    if not claims:
        return jsonify(error="login required"), 401
    return claims
`},
	{"authlib default instance pinned", "py.jwt-no-algorithms", `from authlib.jose import jwt
def login(u):
    return jwt.encode({"alg": "HS256"}, {"sub": u}, KEY)
def me(t):
    claims = jwt.decode(t, KEY)  # <-
    claims.validate()
    return claims
`, `from authlib.jose import JsonWebToken
from authlib.jose import jwt
def login(u):
    return jwt.encode({"alg": "HS256"}, {"sub": u}, KEY)
def me(t):
    claims = JsonWebToken(["HS256"]).decode(t, KEY)
    claims.validate()
    return claims
`},
	{"authlib claims validated", "py.authlib-claims-not-validated", `from authlib.jose import jwt
def me(t):
    claims = jwt.decode(t, KEY)  # <-
    return claims["sub"]
`, `from authlib.jose import jwt
def me(t):
    claims = jwt.decode(t, KEY)
    claims.validate()
    return claims["sub"]
`},
	{"a lifetime over a day picked in the view comes from configuration", "jwt.long-lifetime", `import os
from datetime import timedelta
SHORT = timedelta(minutes=15)
LONG = timedelta(days=30)
def login(form):
    ttl = LONG if form.get("remember") else SHORT
    return issue(form["user"], ttl)  # <-
`, `import os
from datetime import timedelta
SHORT = timedelta(minutes=15)
LONG = timedelta(seconds=int(os.environ.get("LONG", "86400")))
def login(form):
    ttl = LONG if form.get("remember") else SHORT
    return issue(form["user"], ttl)
`},
}
