//go:build cgo

package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/report"
)

// layoutProject writes an app with a blueprint that is never registered,
// test code, a vendored folder and a folder named build holding routes.
func layoutProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"app.py": `from flask import Flask, Blueprint

app = Flask(__name__)
orphan = Blueprint("orphan", __name__)


@app.get("/items")
def items():
    return []


@orphan.get("/lost")
def lost():
    return "never served"
`,
		"build/jobs.py": `from app import app


@app.get("/jobs")
def jobs():
    return []
`,
		"tests/test_api.py": `import jwt


def test_none_rejected(client):
    tok = jwt.encode({"sub": "x"}, None, algorithm="none")
    assert client.get("/items", headers={"Authorization": tok}).status_code == 401
`,
		"vendor/lib.py": `import jwt

claims = jwt.decode("x", options={"verify_signature": False})
`,
	}
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func codeJSON(t *testing.T, args ...string) report.Result {
	t.Helper()
	_, stdout, stderr := run(append([]string{"code", "--format", "json", "--fail-on", "none"}, args...)...)
	var res report.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s\n%s", err, stdout, stderr)
	}
	if res.Diagnostics == nil {
		t.Fatal("no diagnostics in the JSON result")
	}
	return res
}

func rulesOf(res report.Result) map[string]bool {
	out := map[string]bool{}
	for _, f := range res.Findings {
		out[f.Location.File+" "+f.Rule] = true
	}
	return out
}

func TestCodeDiagnosticsAndFileSelection(t *testing.T) {
	t.Parallel()
	dir := layoutProject(t)

	res := codeJSON(t, dir)
	d := res.Diagnostics
	if d.RoutesSeen != 3 || d.RoutesResolved != 2 || len(d.Unresolved) != 1 ||
		d.Unresolved[0].Location.File != "app.py" || d.Unresolved[0].Location.Line != 12 ||
		!strings.Contains(d.Unresolved[0].Reason, "orphan is never registered") {
		t.Fatalf("diagnostics %+v", d)
	}
	if len(res.Endpoints) != 2 || res.Endpoints[0].Path != "/items" || res.Endpoints[1].Path != "/jobs" {
		t.Fatalf("a folder named build must be analysed: endpoints %+v", res.Endpoints)
	}
	if !strings.Contains(strings.Join(d.Skipped, "\n"), "tests/: test code, 1 file(s) left out") {
		t.Fatalf("test code not reported as left out: %q", d.Skipped)
	}
	rules := rulesOf(res)
	if !rules["vendor/lib.py py.jwt-unverified"] || len(rules) != 1 {
		t.Fatalf("default run findings %v", rules)
	}

	res = codeJSON(t, dir, "--include-tests", "--exclude", "vendor")
	rules = rulesOf(res)
	if rules["vendor/lib.py py.jwt-unverified"] || !rules["tests/test_api.py py.jwt-encode-alg-none"] {
		t.Fatalf("--include-tests --exclude vendor findings %v", rules)
	}
	for _, f := range res.Findings {
		if f.Location.File == "tests/test_api.py" && (f.Severity != "low" || !strings.HasSuffix(f.Message, "(test code)")) {
			t.Fatalf("test code finding not at low weight: %+v", f)
		}
	}
	if !strings.Contains(strings.Join(res.Diagnostics.Skipped, "\n"), "vendor/: excluded by --exclude vendor") {
		t.Fatalf("exclusion not reported: %q", res.Diagnostics.Skipped)
	}

	cfg := filepath.Join(t.TempDir(), "authprobe.yaml")
	if err := os.WriteFile(cfg, []byte("code:\n  exclude: [\"vendor/*\", build]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res = codeJSON(t, dir, "-c", cfg)
	if len(rulesOf(res)) != 0 || len(res.Endpoints) != 1 {
		t.Fatalf("config code.exclude: findings %v endpoints %+v", rulesOf(res), res.Endpoints)
	}
}

func TestCodeDiagnosticsRendered(t *testing.T) {
	t.Parallel()
	dir := layoutProject(t)
	sarif := filepath.Join(t.TempDir(), "r.sarif")
	_, stdout, _ := run("code", dir, "--fail-on", "none", "-o", sarif)
	for _, want := range []string{"Route coverage", "routes: 2 of 3 route-like registrations resolved",
		"unresolved app.py:12: blueprint orphan is never registered on an app", "left out: tests/: test code"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text report lacks %q:\n%s", want, stdout)
		}
	}
	data, err := os.ReadFile(sarif)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Invocations []struct {
				Notes []struct {
					Level   string                `json:"level"`
					Message struct{ Text string } `json:"message"`
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Invocations) != 1 {
		t.Fatalf("sarif: %v", err)
	}
	var texts []string
	for _, n := range log.Runs[0].Invocations[0].Notes {
		texts = append(texts, n.Level+": "+n.Message.Text)
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"note: routes: 2 of 3", "warning: route not resolved: app.py:12: blueprint orphan"} {
		if !strings.Contains(all, want) {
			t.Errorf("SARIF notifications lack %q:\n%s", want, all)
		}
	}
	_, routes, _ := run("code", dir, "--routes", "--fail-on", "none")
	if !strings.Contains(routes, "routes: 2 of 3 route-like registrations resolved") {
		t.Errorf("--routes lacks the diagnostic:\n%s", routes)
	}
}
