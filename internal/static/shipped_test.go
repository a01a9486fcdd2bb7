package static

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
)

// severities maps "file rule" to the severity and message of its finding.
func severities(t *testing.T, dir string) map[string]finding.Finding {
	t.Helper()
	_, fs, err := Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]finding.Finding{}
	for _, f := range fs {
		if f.Location != nil {
			out[f.Location.File+" "+f.Rule] = f
		}
	}
	return out
}

// TestUnshipped: a key in a script the packaging and the Dockerfile leave
// out is low and says why; the same script ships (and is high) when
// nothing in the tree declares what ships, and a script the Dockerfile
// copies ships whatever its folder.
func TestUnshipped(t *testing.T) {
	got := severities(t, "testdata/fixtures/unshipped")
	tool := got["tools/sync_users.py py.hardcoded-api-key"]
	if tool.Severity != finding.Low || !strings.Contains(tool.Message, "not shipped: ") || !strings.Contains(tool.Message, "setup.py packages svc") {
		t.Errorf("tools/sync_users.py: want low, not shipped by setup.py; got %s %q", tool.Severity, tool.Message)
	}
	// A standalone script that writes its own app's config (no routes, no
	// importer) is judged by its own file, not taken for loaded config.
	demo := got["contrib/mail_demo.py py.flask-weak-secret-key"]
	if demo.Severity != finding.Low || !strings.Contains(demo.Message, "not shipped: ") {
		t.Errorf("contrib/mail_demo.py: want low, not shipped; got %s %q", demo.Severity, demo.Message)
	}
	for _, k := range []string{"bin/healthcheck.py py.hardcoded-api-key", "svc/app.py py.hardcoded-api-key", "web/settings.py py.flask-weak-secret-key", "conf/production.py py.flask-weak-secret-key", "wsgi.py py.flask-weak-secret-key"} {
		if f := got[k]; f.Severity != finding.High || strings.Contains(f.Message, "not shipped") {
			t.Errorf("%s: want high (shipped); got %s %q", k, f.Severity, f.Message)
		}
	}

	// The twin: the same files without setup.py and Dockerfile.
	dir := t.TempDir()
	for _, rel := range []string{"svc/__init__.py", "svc/app.py", "tools/sync_users.py", "bin/healthcheck.py", "contrib/mail_demo.py"} {
		b, err := os.ReadFile(filepath.Join("testdata/fixtures/unshipped", rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	twin := severities(t, dir)
	if f := twin["tools/sync_users.py py.hardcoded-api-key"]; f.Severity != finding.High {
		t.Errorf("without packaging, tools/sync_users.py: want high; got %s %q", f.Severity, f.Message)
	}
	if f := twin["contrib/mail_demo.py py.flask-weak-secret-key"]; f.Severity != finding.High {
		t.Errorf("without packaging, contrib/mail_demo.py: want high; got %s %q", f.Severity, f.Message)
	}
}

// TestShippingDecls reads the packaging forms one by one.
func TestShippingDecls(t *testing.T) {
	for _, tc := range []struct {
		name, src, file string
		ships           bool
	}{
		{"setup.cfg", "[options]\npackages = find:\npackage_dir =\n    =src\n[options.packages.find]\nwhere = src\nexclude =\n    tests\n", "scripts/x.py", false},
		{"setup.cfg", "[options]\npackages =\n    app\n    app.api\n", "app/api/x.py", true},
		{"pyproject.toml", "[tool.poetry]\nname = \"x\"\npackages = [\n  { include = \"app\", from = \"src\" },\n]\n", "src/app/x.py", true},
		{"pyproject.toml", "[tool.poetry]\nname = \"x\"\npackages = [\n  { include = \"app\", from = \"src\" },\n]\n", "tools/x.py", false},
		{"pyproject.toml", "[tool.hatch.build.targets.wheel]\npackages = [\"src/app\"]\n", "src/app/x.py", true},
		{"pyproject.toml", "[project]\nname = \"x\"\n", "tools/x.py", true}, // auto-discovery declares nothing
		{"Dockerfile", "FROM python\nCOPY . /app\n", "tools/x.py", true},
		{"tools/client/Dockerfile", "FROM python\nCOPY . /app\n", "tools/x.py", true},        // speaks for tools/client only
		{"tools/client/Dockerfile", "FROM python\nCOPY . /app\n", "tools/client/c.py", true}, // copies its own directory
		{"Dockerfile", "FROM python\nCOPY \"./config.py\" \"./\"\nCOPY \"./\" \"./\"\n", "tools/x.py", true},
		{"Dockerfile", "FROM python\nCOPY [\"app\", \"/srv/app\"]\n", "tools/x.py", false},
	} {
		dir := t.TempDir()
		script := "import requests\nAPI_TOKEN = \"q8Z3vK7mR2xN5bT9wL4cH6jP1sD0fG3a\"\nrequests.get(\"https://x.example.com\", headers={\"Auth-Token\": API_TOKEN})\n"
		for rel, src := range map[string]string{tc.name: tc.src, tc.file: script} {
			if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, rel), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		f, ok := severities(t, dir)[tc.file+" py.hardcoded-api-key"]
		if !ok {
			t.Fatalf("%s: no py.hardcoded-api-key", tc.file)
		}
		if shipped := !strings.Contains(f.Message, "not shipped"); shipped != tc.ships || shipped != (f.Severity == finding.High) {
			t.Errorf("%s %q: %s ships=%v, got %s %q", tc.name, tc.src, tc.file, tc.ships, f.Severity, f.Message)
		}
	}
}

// FuzzShippingParsers: packaging and recipe text of any shape never stops
// the analysis; the declarations it yields answer for any path.
func FuzzShippingParsers(f *testing.F) {
	for _, s := range []string{
		"[options]\npackages = find:\n[options.packages.find]\nexclude =\n    tests*\n",
		"[tool.poetry]\npackages = [\n { include = \"a\", from = \"src\" },\n]\n[tool.hatch.build.targets.wheel]\npackages = [\"src/a\"]\n",
		"FROM x\nCOPY --chown=1:1 [\"a\", \"b\", \"/c\"]\nADD . /d\nCOPY \\\n  e /f\n",
		"graft web\ninclude *.py\nrecursive-include a *.txt\n",
		"[", "]\n=", "COPY", "\n\t=\n[x]\n  y\n",
	} {
		f.Add(s)
	}
	proj := flask.Build(nil)
	f.Fuzz(func(t *testing.T, src string) {
		for _, d := range []*shipDecl{setupCfgDecl(proj, "setup.cfg", "", src), pyprojectDecl(proj, "pyproject.toml", "", src),
			dockerDecl("Dockerfile", "", src), manifestDecl("MANIFEST.in", "", src)} {
			if d != nil {
				d.covers("a/b.py")
				d.covers("b.py")
			}
		}
	})
}
