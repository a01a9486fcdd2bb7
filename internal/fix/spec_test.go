package fix

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/report"
)

const specApp = `from flask import Flask, jsonify
app = Flask(__name__)


@app.get("/api/items")
def items():
    return jsonify([])


@app.post("/api/items")
def add_item():
    return jsonify({}), 201


@app.get("/api/items/<int:item_id>")
def item(item_id):
    return jsonify({})


@app.get("/health")
def health():
    return jsonify(status="ok")
`

const specDoc = `openapi: 3.0.3
info: {title: t, version: "1"}
security: [{bearer: []}]
paths:
  /api/items:
    get:
      responses:
        "200": {description: ok}
# the end of paths
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
`

// TestUndocumented: routes the spec lacks are documented as the scan saw
// them (public: security []; guarded: the document's security), a new
// method under an existing path, path parameters declared; the static
// proof reads the patched spec as the scan does and finds them documented.
func TestUndocumented(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{"app.py": specApp, "openapi.yaml": specDoc} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	served := []report.Endpoint{{Method: "GET", Path: "/health", Policy: "public"}, {Method: "POST", Path: "/api/items", Policy: "jwt"},
		{Method: "GET", Path: "/api/items/{item_id}", Policy: "jwt"}}
	var fs []finding.Finding
	for _, c := range []struct {
		method, path string
		line         int
	}{{"POST", "/api/items", 10}, {"GET", "/api/items/{item_id}", 15}, {"GET", "/health", 20}} {
		f := finding.Finding{Rule: ruleUndocumented, Source: "static", Endpoint: &finding.Endpoint{Method: c.method, Path: c.path},
			Location: &finding.Location{File: "app.py", Line: c.line}}
		f.ComputeFingerprint()
		fs = append(fs, f)
	}
	pl, err := MakeWith(context.Background(), dir, fs, Options{Spec: filepath.Join(dir, "openapi.yaml"), Endpoints: served})
	if err != nil {
		t.Fatal(err)
	}
	for _, fx := range pl.Fixes {
		if !fx.Patched {
			t.Fatalf("%s not patched: %s", fx.Finding.Endpoint, fx.Reason)
		}
	}
	got := string(pl.New["openapi.yaml"])
	for _, want := range []string{
		"        \"200\": {description: ok}\n    post:\n      summary: \"served by add_item (app.py:10); documented as the scan found it\"\n      responses:\n",
		"  /api/items/{item_id}:\n    get:\n",
		"      parameters:\n        - name: item_id\n          in: path\n          required: true\n          schema: {type: string}\n",
		"  /health:\n    get:\n      summary: \"served by health (app.py:20); documented as the scan found it\"\n      security: []\n",
		"          description: \"the answer of health (app.py:20)\"\n# the end of paths\ncomponents:\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("patched spec lacks\n%s\nin\n%s", want, got)
		}
	}
	patched, err := Copy(dir, t.TempDir(), "patched")
	if err != nil {
		t.Fatal(err)
	}
	if err := pl.WriteTo(patched); err != nil {
		t.Fatal(err)
	}
	if err := pl.ProveStatic(context.Background(), patched); err != nil {
		t.Fatal(err)
	}
	for _, fx := range pl.Fixes {
		if fx.Proofs.Static != Fixed {
			t.Errorf("%s: static %s %v", fx.Finding.Endpoint, fx.Proofs.Static, fx.Notes)
		}
	}
}

// TestUndocumentedRefused: no spec patch without a YAML spec in the
// source, for a route the scan did not see answer, or under a base path.
func TestUndocumentedRefused(t *testing.T) {
	f := finding.Finding{Rule: ruleUndocumented, Source: "static", Endpoint: &finding.Endpoint{Method: "GET", Path: "/health"},
		Location: &finding.Location{File: "app.py", Line: 20}}
	f.ComputeFingerprint()
	for _, c := range []struct {
		name, spec string
		served     []report.Endpoint
		why        string
	}{
		{"no spec", "", nil, "not a YAML file inside the source"},
		{"not seen", specDoc, nil, "did not see how"},
		{"base path", strings.Replace(specDoc, "paths:", "servers: [{url: \"http://x/api/v1\"}]\npaths:", 1),
			[]report.Endpoint{{Method: "GET", Path: "/health", Policy: "public"}}, "base path"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"app.py": specApp}
			spec := ""
			if c.spec != "" {
				files["openapi.yaml"] = c.spec
				spec = filepath.Join(dir, "openapi.yaml")
			}
			for name, src := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			pl, err := MakeWith(context.Background(), dir, []finding.Finding{f}, Options{Spec: spec, Endpoints: c.served})
			if err != nil {
				t.Fatal(err)
			}
			if fx := pl.Fixes[0]; fx.Patched || !strings.Contains(fx.Reason, c.why) {
				t.Errorf("patched %v, reason %q, want %q", fx.Patched, fx.Reason, c.why)
			}
		})
	}
}
