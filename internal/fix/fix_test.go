package fix

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

// plan writes files into a temporary project and plans the fix of one
// finding of rule at the line marked "# <-" in app.py (the marker is
// removed first).
func plan(t *testing.T, rule string, files map[string]string) (*Plan, string) {
	t.Helper()
	dir := t.TempDir()
	line := 0
	for name, src := range files {
		if name == "app.py" {
			for i, l := range strings.Split(src, "\n") {
				if strings.Contains(l, "# <-") {
					line = i + 1
				}
			}
			src = strings.ReplaceAll(src, "  # <-", "")
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if line == 0 {
		t.Fatal("no # <- marker in app.py")
	}
	f := finding.Finding{Rule: rule, Location: &finding.Location{File: "app.py", Line: line}}
	f.ComputeFingerprint()
	pl, err := Make(context.Background(), dir, []finding.Finding{f})
	if err != nil {
		t.Fatal(err)
	}
	return pl, dir
}

func TestFixers(t *testing.T) {
	cases := []struct {
		name, rule, src, want string
	}{
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
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pl, _ := plan(t, c.rule, map[string]string{"app.py": c.src})
			fx := pl.Fixes[0]
			if !fx.Patched {
				t.Fatalf("not patched: %s", fx.Reason)
			}
			if got := string(pl.New["app.py"]); got != c.want {
				t.Errorf("patched:\n%s\nwant:\n%s", got, c.want)
			}
			if !strings.Contains(pl.Diff(), "fixes "+c.rule+" (") {
				t.Errorf("the hunk does not name the finding it fixes:\n%s", pl.Diff())
			}
		})
	}
}

// TestNotGuessed: where the fix needs knowledge the code does not give,
// the finding is listed with the reason and nothing is edited.
func TestNotGuessed(t *testing.T) {
	cases := []struct {
		name, rule, src, reason string
	}{
		{"issuer algorithm unknown", "py.jwt-no-algorithms", "def me(t):\n    return jwt.decode(t, K)  # <-\n", "algorithm the issuer signs with"},
		{"no one key to verify with", "py.jwt-unverified", "a = jwt.encode(c, A, algorithm=\"HS256\")\nb = jwt.encode(c, B, algorithm=\"HS256\")\ndef me(t):\n    return jwt.decode(t, options={\"verify_signature\": False})  # <-\n", "no key"},
		{"siblings disagree", "py.route-missing-auth", "@app.get(\"/a\")\n@one\ndef a():\n    pass\n@app.get(\"/b\")\n@two\ndef b():\n    pass\n@app.get(\"/c\")  # <-\ndef c():\n    pass\n", "do not share one auth decorator"},
		{"design decision", "authz.bola", "def get(i):\n    return NOTES[i]  # <-\n", "object ownership"},
		{"claim still read", "jwt.sensitive-claims", "c = {\"sub\": u, \"pw_hash\": h}  # <-\nx = claims[\"pw_hash\"]\n", "read elsewhere"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pl, _ := plan(t, c.rule, map[string]string{"app.py": c.src})
			fx := pl.Fixes[0]
			if fx.Patched || len(pl.New) != 0 {
				t.Fatalf("patched, want a reason:\n%s", pl.Diff())
			}
			if !strings.Contains(fx.Reason, c.reason) {
				t.Errorf("reason %q, want it to say %q", fx.Reason, c.reason)
			}
		})
	}
}

// TestNoLocation: a finding without a source line is never patched.
func TestNoLocation(t *testing.T) {
	f := finding.Finding{Rule: "jwt.alg-none", Endpoint: &finding.Endpoint{Method: "GET", Path: "/x"}}
	pl, err := Make(context.Background(), t.TempDir(), []finding.Finding{f})
	if err != nil {
		t.Fatal(err)
	}
	if pl.Fixes[0].Patched || !strings.Contains(pl.Fixes[0].Reason, "no source line") {
		t.Errorf("fix without a location: %+v", pl.Fixes[0])
	}
}
