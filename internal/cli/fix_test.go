package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/fix"
)

// fixProject writes a one-file Flask app with debug on and a weak secret,
// analyses it with code and returns the project dir and the result path.
func fixProject(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	src := `import os
from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev"


@app.get("/health")
def health():
    return {"status": "ok"}


if __name__ == "__main__":
    app.run(debug=True)
`
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	result := filepath.Join(t.TempDir(), "code.json")
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), []string{"code", dir, "--fail-on", "none", "-q", "-o", result}, nil, &stdout, &stderr); code != ExitOK {
		t.Fatalf("code exit %d: %s", code, stderr.String())
	}
	return dir, result
}

// TestFixApplySafety: --apply writes only when every proof that applies
// passed; a test suite the patch breaks keeps the project untouched unless
// --force.
func TestFixApplySafety(t *testing.T) {
	cases := []struct {
		name    string
		testCmd string
		force   bool
		applied bool
		exit    int
	}{
		{"tests pass", "true", false, true, ExitOK},
		{"the patch breaks the tests", "grep -q 'debug=True' app.py", false, false, ExitFindings},
		{"forced", "grep -q 'debug=True' app.py", true, true, ExitFindings},
		{"the suite cannot run", "python3 -c 'import no_such_module_for_authprobe'", false, false, ExitOK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, result := fixProject(t)
			before, _ := os.ReadFile(filepath.Join(dir, "app.py"))
			out := filepath.Join(t.TempDir(), "fix.json")
			args := []string{"fix", result, "--source", dir, "--test-cmd", c.testCmd, "--apply", "-q", "-o", out}
			if c.force {
				args = append(args, "--force")
			}
			var stdout, stderr bytes.Buffer
			if code := Run(context.Background(), args, nil, &stdout, &stderr); code != c.exit {
				t.Fatalf("exit %d, want %d: %s", code, c.exit, stderr.String())
			}
			after, _ := os.ReadFile(filepath.Join(dir, "app.py"))
			var doc fix.Doc
			data, _ := os.ReadFile(out)
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			if changed := !bytes.Equal(before, after); changed != c.applied || doc.Applied != c.applied {
				t.Fatalf("applied: file changed %v, fix.json %v, want %v (%s)", changed, doc.Applied, c.applied, stderr.String())
			}
			if c.applied && (!strings.Contains(string(after), `os.environ["SECRET_KEY"]`) || strings.Contains(string(after), "debug=True")) {
				t.Errorf("applied patch:\n%s", after)
			}
			if doc.Stats.Patched != 2 {
				t.Errorf("%d patched, want 2 (debug, secret): %+v", doc.Stats.Patched, doc.Findings)
			}
		})
	}
}

// TestFixUsage: fix without --source, or --force without --apply, is a
// usage error.
func TestFixUsage(t *testing.T) {
	_, result := fixProject(t)
	for _, args := range [][]string{{"fix", result}, {"fix", result, "--source", t.TempDir(), "--force"}, {"fix", result, "--source", t.TempDir(), "-o", "x.unknown"}} {
		var stdout, stderr bytes.Buffer
		if code := Run(context.Background(), args, nil, &stdout, &stderr); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
}
