package fix

// appCases are the application fixes: Flask secrets and debug, config,
// query sources, API key checks, route auth.
var appCases = []fixerCase{
	{"a key compared after folding on both sides", "apikey.variant-accepted", `def gate():
    provided = request.headers.get("X-API-Key", "").strip().lower()  # <-
    known = {k.lower() for k in KEYS if k}
    return provided in known
`, `def gate():
    provided = request.headers.get("X-API-Key", "")
    known = {k for k in KEYS if k}
    return provided in known
`},
	{"CSRF protection of cookie tokens back on", "py.jwtx-csrf-off", `class Config:
    JWT_TOKEN_LOCATION = ["cookies"]
    JWT_COOKIE_CSRF_PROTECT = False  # <-
`, `class Config:
    JWT_TOKEN_LOCATION = ["cookies"]
    JWT_COOKIE_CSRF_PROTECT = True
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
	{"hand-written query fallback", "py.credential-in-query", `def token():
    return bearer() or request.args.get("token")  # <-
`, `def token():
    return bearer()
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
	{"Resource gets its siblings' method_decorators", "authz.missing-authentication", `class A(Resource):
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
	{"a secret compared with != to a request field", "py.apikey-timing-compare", `import hmac
def token():
    if partner is None or partner["secret"] != body.get("client_secret"):  # <-
        return 401
`, `import hmac
def token():
    if partner is None or not (partner["secret"] and body.get("client_secret") and hmac.compare_digest(str(partner["secret"]).encode(), str(body.get("client_secret")).encode())):
        return 401
`},
}
