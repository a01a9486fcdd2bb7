package fix

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

// TestCoveredByTheSameChange: the scan's finding on a route and the code's
// finding on its decorator line are one cause; the route's patch closes
// both, and the static proof shows the code's finding gone. A finding on a
// line the change touches that it does not close is unpatched again.
func TestCoveredByTheSameChange(t *testing.T) {
	lab := filepath.Join("..", "..", "labs", "writes")
	live := finding.Finding{Rule: "authz.method-tampering", Source: "both", Location: &finding.Location{File: "app.py", Line: lineIn(t, lab, "def quick_edit_note")},
		Endpoint: &finding.Endpoint{Method: "PATCH", Path: "/api/notes/{note_id}"}}
	code := finding.Finding{Rule: "py.route-missing-auth", Source: "static", Location: &finding.Location{File: "app.py", Line: live.Location.Line - 1}}
	other := finding.Finding{Rule: "py.jwt-long-lifetime", Source: "static", Location: &finding.Location{File: "app.py", Line: live.Location.Line - 1}}
	for _, f := range []*finding.Finding{&live, &code, &other} {
		f.ComputeFingerprint()
	}
	pl, err := Make(context.Background(), lab, []finding.Finding{live, code, other})
	if err != nil {
		t.Fatal(err)
	}
	if !pl.Fixes[0].Patched {
		t.Fatalf("route not patched: %s", pl.Fixes[0].Reason)
	}
	if !pl.Fixes[1].Patched || pl.Fixes[1].coveredBy != live.Fingerprint {
		t.Fatalf("the code's finding is not covered by the route's change: %+v", pl.Fixes[1])
	}
	copyDir, err := Copy(lab, t.TempDir(), "patched")
	if err != nil {
		t.Fatal(err)
	}
	if err := pl.WriteTo(copyDir); err != nil {
		t.Fatal(err)
	}
	if err := pl.ProveStatic(context.Background(), copyDir); err != nil {
		t.Fatal(err)
	}
	if fx := pl.Fixes[1]; !fx.Patched || fx.Proofs.Static != Fixed {
		t.Errorf("covered finding: patched %v, static %s, %v", fx.Patched, fx.Proofs.Static, fx.Notes)
	}
	if fx := pl.Fixes[2]; fx.Patched || fx.Reason == "" {
		t.Errorf("a finding the change does not close stays covered: %+v", fx)
	}
}

// lineOf returns the line of app.py in dir holding text.
func lineIn(t *testing.T, dir, text string) int {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, "app.py"))
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(src), "\n") {
		if strings.Contains(l, text) {
			return i + 1
		}
	}
	t.Fatalf("%q not in %s/app.py", text, dir)
	return 0
}
