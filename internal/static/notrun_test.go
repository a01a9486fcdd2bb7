package static

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/rules"
)

// TestNotRun: with a Procfile that serves wsgi:app, the __main__ block of
// the served module and a script nothing imports or names are low, with
// the reason; the release script the Procfile runs stays high. The twin
// without the Procfile judges nothing this way: all three are high.
func TestNotRun(t *testing.T) {
	got := severities(t, "testdata/fixtures/notrun")
	for _, k := range []string{"shop.py py.flask-weak-secret-key", "tools/export_spec.py py.flask-weak-secret-key"} {
		if f := got[k]; f.Severity != finding.Low || !strings.Contains(f.Message, "not run by the deployed app") || !strings.Contains(f.Message, "Procfile") {
			t.Errorf("%s: want low, not run by the deployed app; got %s %q", k, f.Severity, f.Message)
		}
	}
	if f := got["seed.py py.flask-weak-secret-key"]; f.Severity != finding.High {
		t.Errorf("seed.py (run by the Procfile's release): want high; got %s %q", f.Severity, f.Message)
	}

	dir := t.TempDir()
	for _, rel := range []string{"wsgi.py", "shop.py", "seed.py", "tools/export_spec.py"} {
		b, err := os.ReadFile(filepath.Join("testdata/fixtures/notrun", rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	twin := severities(t, dir)
	for _, k := range []string{"shop.py py.flask-weak-secret-key", "tools/export_spec.py py.flask-weak-secret-key", "seed.py py.flask-weak-secret-key"} {
		if f := twin[k]; f.Severity != finding.High {
			t.Errorf("twin without Procfile, %s: want high; got %s %q", k, f.Severity, f.Message)
		}
	}
}

// TestScriptPathDirs: a script written with a directory is matched by it.
func TestScriptPathDirs(t *testing.T) {
	for _, c := range []struct {
		written, rel, file string
		want               bool
	}{
		{"app.py", "docker-compose.yml", "stanza_service/app.py", true},
		{"./semantic-emb-api/app/app.py", "docker-compose.yml", "stanza_service/app.py", false},
		{"/Zeeguu-API/start.py", "docker-compose.yml", "start.py", true},
		{"app.py", "svc/Dockerfile", "svc/app.py", true},
		{"./svc/app.py", "Procfile", "svc/app.py", true},
	} {
		if got := rules.ScriptPath(c.written, c.rel, c.file); got != c.want {
			t.Errorf("ScriptPath(%q, %q, %q) = %v, want %v", c.written, c.rel, c.file, got, c.want)
		}
	}
}
