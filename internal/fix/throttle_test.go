package fix

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

// throttleApp has the four shapes of an unthrottled credential check: a
// login view, a before_request key gate, an auth decorator's wrapper, and
// a class view's method.
const throttleApp = `import hmac
from functools import wraps

from flask import Flask, abort, jsonify, request
from flask.views import MethodView

app = Flask(__name__)
KEY = "k-1"


@app.post("/login")
def login():
    body = request.get_json(silent=True) or {}
    if body.get("password") != "pw":  # <-login
        return jsonify(error="invalid credentials"), 401
    return jsonify(token="t")


@app.before_request
def gate():
    if request.path != "/gated":
        return None
    if not hmac.compare_digest(request.headers.get("X-Key", ""), KEY):  # <-gate
        return jsonify(error="bad key"), 403
    return None


@app.get("/gated")
def gated():
    return jsonify(ok=True)


def key_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Key") != KEY:  # <-decorator
            abort(401)
        return view(*args, **kwargs)
    return wrapper


@app.get("/items")
@key_required
def items():
    return jsonify(items=[])


class Reports(MethodView):
    def get(self):
        if request.headers.get("X-Key") != KEY:  # <-method
            return {"error": "bad key"}, 401
        return {"reports": []}


app.add_url_rule("/reports", view_func=Reports.as_view("reports"))
`

// TestThrottleShapes: each shape gets limit_failures where it refuses,
// and the patched app, run by Flask's test client, answers 429 with
// Retry-After after AUTH_FAILURE_LIMIT refusals while the right
// credential still works before that.
func TestThrottleShapes(t *testing.T) {
	cases := []struct {
		mark, want, request string
	}{
		{"login", "@app.post(\"/login\")\n@limit_failures\ndef login", `c.post("/login", json={"password": "bad"})`},
		{"gate", "@app.before_request\n@limit_failures\ndef gate", `c.get("/gated", headers={"X-Key": "bad"})`},
		{"decorator", "    return limit_failures(wrapper)\n", `c.get("/items", headers={"X-Key": "bad"})`},
		{"method", "class Reports(MethodView):\n    @limit_failures\n    def get", `c.get("/reports", headers={"X-Key": "bad"})`},
	}
	for _, c := range cases {
		t.Run(c.mark, func(t *testing.T) {
			src := strings.ReplaceAll(throttleApp, "  # <-"+c.mark, "  # <-")
			for _, other := range cases {
				src = strings.ReplaceAll(src, "  # <-"+other.mark, "")
			}
			pl, _ := plan(t, "apikey.no-bruteforce-protection", map[string]string{"app.py": src})
			fx := pl.Fixes[0]
			if !fx.Patched {
				t.Fatalf("not patched: %s", fx.Reason)
			}
			got := string(pl.New["app.py"])
			if !strings.Contains(got, c.want) {
				t.Fatalf("patched app lacks %q:\n%s", c.want, got)
			}
			if strings.Count(got, "def limit_failures(") != 1 {
				t.Errorf("the limiter is not added exactly once:\n%s", got)
			}
			runThrottled(t, got, c.request)
		})
	}
}

// runThrottled runs the patched app under Flask's test client: the
// refused request is sent until the limiter answers 429.
func runThrottled(t *testing.T, app, request string) {
	t.Helper()
	if _, err := exec.LookPath("/usr/bin/python3"); err != nil {
		t.Fatal("the limiter is proven by running it: /usr/bin/python3 is needed (make deps)")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(app), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `import sys
from app import app
c = app.test_client()
ok = c.post("/login", json={"password": "pw"})
assert ok.status_code == 200, ok.status_code
codes = [(` + request + `) for _ in range(12)]
statuses = [r.status_code for r in codes]
assert 429 not in statuses[:9], statuses
assert statuses[-1] == 429, statuses
assert codes[-1].headers.get("Retry-After"), dict(codes[-1].headers)
print("ok", statuses)
`
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "AUTH_FAILURE_LIMIT=10", "AUTH_LOCKOUT_SECONDS=30")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("patched app: %v\n%s\n%s", err, out, app)
	}
}

// TestThrottleAcrossFiles: one finding seen behind checks in two modules
// gets a limiter in each, and its own diff names both files.
func TestThrottleAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"app.py":   "from flask import Flask, request\napp = Flask(__name__)\n\n\n@app.post(\"/login\")\ndef login():\n    if request.json[\"pw\"] != PW:\n        return {}, 401\n    return {}\n",
		"admin.py": "from flask import request\nfrom app import app\n\n\n@app.get(\"/admin\")\ndef admin():\n    if request.headers.get(\"X-Key\") != KEY:\n        return {}, 401\n    return {}\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f := finding.Finding{Rule: "apikey.no-bruteforce-protection", Source: "scan",
		Endpoint: &finding.Endpoint{Method: "POST", Path: "/login"}, Location: &finding.Location{File: "app.py", Line: 7},
		Instances: []finding.Instance{{Endpoint: &finding.Endpoint{Method: "GET", Path: "/admin"}, Location: &finding.Location{File: "admin.py", Line: 7}}}}
	f.ComputeFingerprint()
	pl, err := Make(context.Background(), dir, []finding.Finding{f})
	if err != nil {
		t.Fatal(err)
	}
	if !pl.Fixes[0].Patched {
		t.Fatalf("not patched: %s", pl.Fixes[0].Reason)
	}
	for _, name := range []string{"app.py", "admin.py"} {
		if !strings.Contains(string(pl.New[name]), "def limit_failures(") || !strings.Contains(string(pl.New[name]), "@limit_failures\ndef ") {
			t.Errorf("%s is not throttled:\n%s", name, pl.New[name])
		}
	}
	d := pl.Reports()[0].Diff
	if !strings.Contains(d, "--- a/admin.py") || !strings.Contains(d, "--- a/app.py") {
		t.Errorf("the finding's diff misses a file:\n%s", d)
	}
}
