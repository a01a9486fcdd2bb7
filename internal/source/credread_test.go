package source

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/static"
)

// TestCredentialReads: the request values a decorator, a before_request
// hook and a view read and then look up, compare or decode are
// placements, credential names first; values read and only echoed,
// standard headers and module-level reads are not (held-out-informed,
// not evidence). Names that do not look like a credential (lang, sid)
// are Weak: tried after the default.
func TestCredentialReads(t *testing.T) {
	cases := []struct {
		name, app string
		want      []string
	}{
		{"decorator looks the header up", `from functools import wraps
from flask import Flask, request, abort, g
app = Flask(__name__)
TOKENS = {}
def auth(f):
    @wraps(f)
    def inner(*a, **k):
        token = request.headers.get("X-Auth-Token", "")
        g.user = TOKENS.get(token)
        if g.user is None:
            abort(401)
        return f(*a, **k)
    return inner
`, []string{"header:X-Auth-Token"}},
		{"before_request compares the query key", `from flask import Flask, request, abort
app = Flask(__name__)
KEYS = {"k1"}
@app.before_request
def gate():
    if request.path.startswith("/api") and request.args.get("api_key") not in KEYS:
        abort(403)
@app.get("/api/items")
def items():
    lang = request.args.get("lang")
    if lang == "fr":
        return "bonjour"
    q = request.args.get("q")
    ua = request.headers.get("User-Agent")
    if ua == "curl":
        return "hi"
    return q
`, []string{"query:api_key", "query:lang"}},
		{"inline decode, cookie and Authorization", `import jwt
from flask import Flask, request
app = Flask(__name__)
SEEN = request.args.get("module_level")
@app.get("/me")
def me():
    raw = request.cookies.get("sid")
    claims = jwt.decode(raw, "k", algorithms=["HS256"])
    auth = request.headers.get("Authorization", "")
    return claims
`, []string{"bearer", "cookie:sid"}},
		{"a loop over the headers picks the key out by name", `from flask import Flask, request
app = Flask(__name__)
API_KEY = "k"
def api_key_required(f):
    def wrapper(*a, **k):
        for i in request.headers:
            if i[0] == 'Api-Key' and i[1] == API_KEY:
                return f(*a, **k)
        return {'error': 'valid API key missing!'}, 401
    return wrapper
def tenant_of():
    for name, value in request.headers.items():
        if name.lower() == "x-tenant-key":
            return value
        if "X-Partner-Key" == name:
            return value
    for h in request.headers:
        print(h)
`, []string{"header:Api-Key", "header:x-tenant-key", "header:X-Partner-Key"}},
		{"the Authorization header decoded as it is", `import jwt
from flask import Flask, request
app = Flask(__name__)
def verify_jwt(token):
    return jwt.decode(token, "k", algorithms=["HS256"])
@app.post("/fetch")
def fetch():
    token = request.headers.get('Authorization')
    if not token or not verify_jwt(token):
        return {"Error": "Not Authenticated!"}, 403
    return {}
@app.get("/me")
def me():
    h = request.headers.get("Authorization", "")
    return jwt.decode(h.split(" ")[1], "k", algorithms=["HS256"])
`, []string{"header:Authorization", "bearer"}},
		// After the batch-6 run (held-out-informed): a value split and
		// only its first word taken is a token sent bare; a split that
		// takes another word strips a scheme (the default).
		{"the first word of Authorization, in a decorator", `from functools import wraps
from flask import Flask, request, abort
app = Flask(__name__)
SESSIONS = {}
def login_required(f):
    @wraps(f)
    def inner(*a, **k):
        sid = request.headers["Authorization"].split()[0]
        if sid not in SESSIONS:
            abort(401)
        return f(*a, **k)
    return inner
`, []string{"header:Authorization"}},
		{"the first word of Authorization, through a name", `from flask import Flask, request
app = Flask(__name__)
def current_user():
    raw = request.headers.get("Authorization")
    tok = raw.split(" ")[0]
    return tok
`, []string{"header:Authorization"}},
		{"the second word of Authorization", `from flask import Flask, request, abort
app = Flask(__name__)
SESSIONS = {}
@app.get("/me")
def me():
    h = request.headers.get("Authorization", "")
    kind = h.split(" ")[0]
    sid = h.split(" ")[1]
    if sid not in SESSIONS:
        abort(401)
    return {}
`, []string{"bearer"}},
	}
	for _, c := range cases {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(c.app), 0o600); err != nil {
			t.Fatal(err)
		}
		proj, _, err := static.Analyze(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range CredentialReads(proj) {
			got = append(got, h.Use)
			if h.Weak != (h.Use == "query:lang" || h.Use == "cookie:sid") {
				t.Errorf("%s: %s: weak %v", c.name, h.Use, h.Weak)
			}
			if !strings.Contains(h.Why, "app.py:") {
				t.Errorf("%s: %s: why %q names no line", c.name, h.Use, h.Why)
			}
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
