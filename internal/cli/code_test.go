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

// codeProject writes a small Flask project with one critical and one
// suppressed finding.
func codeProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := `import os
import jwt
from flask import Flask, abort, request

app = Flask(__name__)
SECRET = os.environ["JWT_SECRET"]


def auth(view):
    def wrapper(*a, **kw):
        try:
            jwt.decode(request.headers.get("Authorization", ""), SECRET, algorithms=["HS256"], options={"require": ["exp"]})
        except jwt.InvalidTokenError:
            abort(401)
        return view(*a, **kw)
    return wrapper


@app.route("/orders/<int:order_id>", methods=["GET", "DELETE"])
@auth
def order(order_id):
    return {"id": order_id}


@app.get("/debug")
def debug():
    return jwt.decode(request.args.get("token"), options={"verify_signature": False})  # authprobe: ignore[py.jwt-unverified] -- dev only
`
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCodeJSONAndOutputs(t *testing.T) {
	t.Parallel()
	dir := codeProject(t)
	out := filepath.Join(t.TempDir(), "r.json")
	code, stdout, stderr := run("code", dir, "--format", "json", "-o", out)
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1 (credential-in-query is medium); stderr %s", code, stderr)
	}
	var res report.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if res.Stats.Files != 1 || res.Stats.Lines != 27 || res.Stats.Suppressed != 1 {
		t.Fatalf("stats %+v", res.Stats)
	}
	if len(res.Endpoints) != 3 || res.Endpoints[0].Path != "/debug" || res.Endpoints[1].Path != "/orders/{order_id}" ||
		res.Endpoints[1].Source != "app.py:21" || res.Endpoints[1].Policy != "jwt" || res.Endpoints[2].Method != "GET" {
		t.Fatalf("endpoints %+v", res.Endpoints)
	}
	rules := map[string]string{}
	for _, f := range res.Findings {
		rules[f.Rule] = f.Suppressed
		if f.Source != "static" || f.Location == nil || f.Location.File != "app.py" || len(f.CWE) == 0 {
			t.Fatalf("finding %+v", f)
		}
	}
	if rules["py.jwt-unverified"] != "dev only" {
		t.Fatalf("suppression reason not kept: %v", rules)
	}
	if _, ok := rules["py.credential-in-query"]; !ok {
		t.Fatalf("query credential not reported: %v", rules)
	}
	saved, err := report.ReadJSON(out)
	if err != nil || len(saved.Findings) != len(res.Findings) {
		t.Fatalf("-o file: %v, %d findings", err, len(saved.Findings))
	}
}

func TestCodeFailOnAndRoutes(t *testing.T) {
	t.Parallel()
	dir := codeProject(t)
	if code, _, stderr := run("code", dir, "--quiet", "--fail-on", "high"); code != ExitOK {
		t.Fatalf("--fail-on high: exit %d (the critical one is suppressed); %s", code, stderr)
	}
	code, stdout, _ := run("code", dir, "--routes", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("--routes exit %d", code)
	}
	for _, want := range []string{"DELETE  /orders/{order_id}", "app.py:21", "jwt decorator auth", "GET     /debug", "3 endpoints"} {
		if !strings.Contains(stdout, want) {
			t.Fatalf("--routes output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestCodeUsageErrors(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "x.py")
	os.WriteFile(file, []byte("x = 1\n"), 0o600)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no dir", []string{"code"}, "accepts 1 arg"},
		{"missing dir", []string{"code", filepath.Join(t.TempDir(), "nope")}, "no such file"},
		{"not a dir", []string{"code", file}, "not a directory"},
		{"bad fail-on", []string{"code", ".", "--fail-on", "severe"}, "unknown severity"},
		{"bad output", []string{"code", ".", "-o", "x.pdf"}, "unknown format"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := run(c.args...)
			if code != ExitUsage || !strings.Contains(stderr, c.want) {
				t.Fatalf("exit %d stderr %q, want 2 and %q", code, stderr, c.want)
			}
		})
	}
}

// TestCodeNothingToAnalyse: an empty or Python-free directory is not
// graded A; it could not be tested (exit 3).
func TestCodeNothingToAnalyse(t *testing.T) {
	t.Parallel()
	empty := t.TempDir()
	noPy := t.TempDir()
	os.WriteFile(filepath.Join(noPy, "README.md"), []byte("# not python\n"), 0o600)
	for _, dir := range []string{empty, noPy} {
		code, stdout, stderr := run("code", dir)
		if code != ExitNoTest || !strings.Contains(stderr, "no Python source") || strings.Contains(stdout, "grade A") {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q", dir, code, stdout, stderr)
		}
	}
}

// TestCodeLatin1: a file declaring coding: latin-1 is decoded as Latin-1.
func TestCodeLatin1(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "# -*- coding: latin-1 -*-\nfrom flask import Flask\napp = Flask(__name__)\n\n@app.route(\"/caf\xe9\")\ndef cafe():\n    return \"\xe9\"\n"
	os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o600)
	code, stdout, stderr := run("code", dir, "--routes", "--format", "json", "--fail-on", "none")
	if code != ExitOK || !strings.Contains(stdout, `"/café"`) {
		t.Fatalf("exit %d, stderr %s, stdout %s", code, stderr, stdout)
	}
}
