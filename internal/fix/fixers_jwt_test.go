package fix

// jwtCases are the token fixes: decode, verifier branches, keys in loops,
// claims, lifetimes, authlib.
var jwtCases = []fixerCase{
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
}
