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

// src has several fixable causes: adjacent, far apart, an import added at
// the top and one on the last line, which has no newline.
const diffSrc = `"""Doc."""
import jwt
SECRET = "weak"
def login(u):
    return jwt.encode({"sub": u, "exp": 1}, SECRET, algorithm="HS256")
def a(t):
    return jwt.decode(t, SECRET, options={"verify_signature": False})
def b(t):
    return jwt.decode(t, SECRET, algorithms=["HS256", "none"])
def c():
    pass
def d():
    pass
def e():
    pass
def f():
    pass
def g():
    return bearer() or request.args.get("t")
app.run(debug=True)`

func TestDiffApplies(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no git process (make test applies the diff)")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Fatal("git is needed to check that the diff applies")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(diffSrc), 0o644); err != nil {
		t.Fatal(err)
	}
	var fs []finding.Finding
	for rule, line := range map[string]int{"py.jwt-hardcoded-secret": 3, "py.jwt-unverified": 7, "py.jwt-alg-none": 9, "py.credential-in-query": 19, "py.flask-debug": 20} {
		f := finding.Finding{Rule: rule, Location: &finding.Location{File: "app.py", Line: line}}
		f.ComputeFingerprint()
		fs = append(fs, f)
	}
	pl, err := Make(context.Background(), dir, fs)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Patched() != len(fs) {
		for _, fx := range pl.Fixes {
			t.Logf("%s: %s", fx.Finding.Rule, fx.Reason)
		}
		t.Fatalf("%d of %d patched", pl.Patched(), len(fs))
	}
	diff := pl.Diff()
	patch := filepath.Join(t.TempDir(), "fix.patch")
	if err := os.WriteFile(patch, []byte(diff), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(git, "apply", patch)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v: %s\n%s", err, out, diff)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "app.py"))
	if string(got) != string(pl.New["app.py"]) {
		t.Errorf("the diff applied gives\n%s\nthe plan says\n%s", got, pl.New["app.py"])
	}
	for _, fx := range pl.Fixes {
		if !strings.Contains(diff, fx.Finding.Rule+" ("+fx.Finding.Fingerprint[:8]+")") {
			t.Errorf("no hunk names %s", fx.Finding.Rule)
		}
	}
	// Every line outside the edits maps back to itself in the old file.
	m := newLineMap([]byte(diffSrc), pl.editsOf("app.py"))
	oldLines := strings.Split(diffSrc, "\n")
	for i, l := range strings.Split(string(pl.New["app.py"]), "\n") {
		if old, in := m.old(i + 1); !in && oldLines[old-1] != l {
			t.Errorf("new line %d %q maps to old line %d %q", i+1, l, old, oldLines[old-1])
		}
	}
}
