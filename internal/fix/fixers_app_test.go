package fix

// appCases are the application fixes: secrets, config, query sources,
// key checks, route auth.
var appCases = []fixerCase{
	{"weak default secret from the environment", "jwt.weak-secret", `import jwt
SECRET = os.environ.get("APP_SECRET", "changeme")  # <-
`, `import os
import jwt
SECRET = os.environ["APP_SECRET"]
if len(SECRET) < 32:
    raise RuntimeError("APP_SECRET must hold a random secret of at least 32 bytes")
`},
	{"Flask secret_key literal", "session.weak-secret", `import os
app = Flask(__name__)
app.secret_key = "dev"  # <-
`, `import os
app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
if len(app.secret_key) < 32:
    raise RuntimeError("SECRET_KEY must hold a random secret of at least 32 bytes")
`},
	{"flask-jwt-extended query_string location", "jwt.token-in-query", `app.config["JWT_TOKEN_LOCATION"] = ["headers", "query_string"]  # <-
`, `app.config["JWT_TOKEN_LOCATION"] = ["headers"]
`},
	{"hand-written query fallback", "py.credential-in-query", `def token():
    return bearer() or request.args.get("token")  # <-
`, `def token():
    return bearer()
`},
	{"flask-jwt-extended lifetime off", "py.jwtx-no-expiry", `import os
app.config["JWT_ACCESS_TOKEN_EXPIRES"] = False  # <-
`, `import os
app.config["JWT_ACCESS_TOKEN_EXPIRES"] = int(os.environ.get("JWT_ACCESS_TOKEN_EXPIRES", "900"))
`},
	{"import os after the docstring of a module without imports", "py.flask-debug", `# -*- coding: utf-8 -*-
"""Settings."""

DEBUG = True  # <-
`, `# -*- coding: utf-8 -*-
"""Settings."""
import os

DEBUG = os.environ.get("FLASK_DEBUG") == "1"
`},
	{"debug from the environment", "py.flask-debug", `import os
app.run(debug=True)  # <-
`, `import os
app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
`},
	{"key membership in constant time, empty refused", "apikey.empty-accepted", `import os
def gate(key):
    if key not in API_KEYS:  # <-
        abort(401)
`, `import hmac
import os
def gate(key):
    if not (key and any(hmac.compare_digest(str(key).encode(), str(k).encode()) for k in API_KEYS if k)):
        abort(401)
`},
	{"prefix match becomes a whole compare", "apikey.variant-accepted", `import hmac
def gate(tok):
    if not tok.startswith(TOKEN):  # <-
        abort(401)
`, `import hmac
def gate(tok):
    if not (tok and hmac.compare_digest(str(tok).encode(), str(TOKEN).encode())):
        abort(401)
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
	{"Resource gets its siblings' method_decorators", "py.route-missing-auth", `class A(Resource):
    method_decorators = [auth]

    def get(self):
        return 1


class B(Resource):
    def get(self):  # <-
        return 2
`, `class A(Resource):
    method_decorators = [auth]

    def get(self):
        return 1


class B(Resource):
    method_decorators = [auth]

    def get(self):
        return 2
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
	{"view gets its siblings' decorator", "authz.missing-authentication", `@app.get("/a")
@login_required
def a():
    return 1

@app.get("/b")
@login_required
def b():
    return 2

@app.get("/c")  # <-
def c():
    return 3
`, `@app.get("/a")
@login_required
def a():
    return 1

@app.get("/b")
@login_required
def b():
    return 2

@app.get("/c")
@login_required
def c():
    return 3
`},
}
