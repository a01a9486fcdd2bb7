package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/authprobe/authprobe/internal/fix"
	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// fixSrc is a one-file Flask app with a weak secret and debug on.
const fixSrc = `import os
from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev"


@app.get("/health")
def health():
    return {"status": "ok"}


if __name__ == "__main__":
    app.run(debug=True)
`

// fixProject writes src as app.py, analyses it with code and returns the
// project dir and the result path.
func fixProject(t *testing.T, src string) (string, string) {
	t.Helper()
	dir := t.TempDir()
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
// passed; a change that breaks the project's tests by itself leaves the
// patch with that reason; a proof that still fails keeps the project
// untouched unless --force.
func TestFixApplySafety(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no test-command process (make test runs them)")
	}
	debugOnly := strings.Replace(fixSrc, `app.config["SECRET_KEY"] = "dev"`, `app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]`, 1)
	cases := []struct {
		name, src, testCmd string
		force              bool
		applied            bool
		patched            int
		exit               int
	}{
		{"tests pass", fixSrc, "true", false, true, 2, ExitOK},
		{"one change breaks the tests: the other is applied", fixSrc, "grep -q 'debug=True' app.py", false, true, 1, ExitOK},
		{"the only change breaks the tests", debugOnly, "grep -q 'debug=True' app.py", false, false, 0, ExitOK},
		{"the suite cannot run", fixSrc, labtest.Python + " -c 'import no_such_module_for_authprobe'", false, false, 2, ExitOK},
		{"forced although the suite cannot run", fixSrc, labtest.Python + " -c 'import no_such_module_for_authprobe'", true, true, 2, ExitOK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, result := fixProject(t, c.src)
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
			if doc.Stats.Patched != c.patched {
				t.Errorf("%d patched, want %d: %+v", doc.Stats.Patched, c.patched, doc.Findings)
			}
			for _, f := range doc.Findings {
				if f.Rule == "py.flask-debug" && c.patched < 2 && !strings.Contains(f.Reason, "breaks the project's tests") {
					t.Errorf("debug finding: patched %v, reason %q", f.Patched, f.Reason)
				}
			}
			if c.applied && strings.Contains(c.testCmd, "debug=True") && !strings.Contains(string(after), "debug=True") {
				t.Errorf("the change that breaks the tests was applied:\n%s", after)
			}
		})
	}
}

// TestFixUsage: fix without --source, or --force without --apply, is a
// usage error.
func TestFixUsage(t *testing.T) {
	_, result := fixProject(t, fixSrc)
	for _, args := range [][]string{{"fix", result}, {"fix", result, "--source", t.TempDir(), "--force"}, {"fix", result, "--source", t.TempDir(), "-o", "x.unknown"}} {
		var stdout, stderr bytes.Buffer
		if code := Run(context.Background(), args, nil, &stdout, &stderr); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
}

// TestFixResultSchema: a result carrying fixes (what fix renders into
// SARIF and Markdown) still validates against docs/result.schema.json.
func TestFixResultSchema(t *testing.T) {
	dir, result := fixProject(t, fixSrc)
	out := filepath.Join(t.TempDir(), "fix.json")
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), []string{"fix", result, "--source", dir, "--no-tests", "-q", "-o", out}, nil, &stdout, &stderr); code != ExitOK {
		t.Fatalf("fix exit %d: %s", code, stderr.String())
	}
	var doc fix.Doc
	data, _ := os.ReadFile(out)
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	res, err := report.ReadJSON(result)
	if err != nil {
		t.Fatal(err)
	}
	res.Fixes = doc.Findings
	raw, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if err := resultSchema(t).Validate(inst); err != nil {
		t.Fatalf("a result with fixes does not validate: %v", err)
	}
}
