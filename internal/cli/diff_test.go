package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/report"
)

// diffFiles saves the fixture as OLD and, as NEW, the fixture with its BOLA
// fixed and one new finding of severity sev.
func diffFiles(t *testing.T, sev finding.Severity) (oldPath, newPath, newFP string) {
	t.Helper()
	res, err := report.ReadJSON(fixtureJSON)
	if err != nil {
		t.Fatal(err)
	}
	var kept []finding.Finding
	for _, f := range res.Findings {
		if f.Rule != "authz.bola" {
			kept = append(kept, f)
		}
	}
	added := finding.Finding{Rule: "jwt.alg-none", Title: "JWT with alg none is accepted", Severity: sev,
		Confidence: finding.Confirmed, CWE: []string{"CWE-347"}, Message: "an unsigned token was accepted",
		Endpoint: &finding.Endpoint{Method: "GET", Path: "/api/v1/me"}}
	added.ComputeFingerprint()
	res.Findings = append(kept, added)
	dir := t.TempDir()
	newPath = filepath.Join(dir, "new.json")
	if err := report.WriteFiles(res, []string{newPath}, report.Options{}); err != nil {
		t.Fatal(err)
	}
	return fixtureJSON, newPath, added.Fingerprint
}

func TestDiffCommand(t *testing.T) {
	t.Parallel()
	old, cur, fp := diffFiles(t, finding.High)
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string
	}{
		{"default fail-on low", []string{old, cur}, 1, "New (1)"},
		{"fixed listed", []string{old, cur, "--fail-on", "none"}, 0, "authz.bola"},
		{"fail-on high", []string{old, cur, "--fail-on", "high"}, 1, "1 new, 1 fixed, 8 unchanged"},
		{"fail-on critical", []string{old, cur, "--fail-on", "critical"}, 0, ""},
		{"no change", []string{old, old}, 0, "0 new, 0 fixed, 9 unchanged"},
		{"markdown", []string{old, cur, "--format", "md", "--fail-on", "none"}, 0, "### authprobe diff: 1 new"},
		{"reversed", []string{cur, old}, 1, "New (1)\n  high     authz.bola"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := reportRun(t, "", append([]string{"diff"}, c.args...)...)
			if code != c.code || !strings.Contains(stdout, c.stdout) {
				t.Errorf("exit %d (want %d), stdout lacks %q:\n%s\nstderr %s", code, c.code, c.stdout, stdout, stderr)
			}
		})
	}
	if code, stdout, _ := reportRun(t, "", "diff", old, cur, "--format", "json"); code != 1 || !strings.Contains(stdout, fp) {
		t.Errorf("json diff: exit %d, new fingerprint %s missing", code, fp)
	}
}

func TestDiffOutputsAndIgnore(t *testing.T) {
	t.Parallel()
	old, cur, fp := diffFiles(t, finding.Critical)
	dir := t.TempDir()
	ign := filepath.Join(dir, "ignore.yaml")
	if err := os.WriteFile(ign, []byte("ignore:\n  - fingerprint: "+fp+"\n    reason: known, fix in SEC-9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	js, md := filepath.Join(dir, "d.json"), filepath.Join(dir, "d.md")
	code, stdout, stderr := reportRun(t, "", "diff", old, cur, "--ignore-file", ign, "-o", js, "-o", md, "-q")
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s: an ignored new finding must not fail", code, stdout, stderr)
	}
	var d report.Diff
	if err := json.Unmarshal(readFile(t, js), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Added) != 1 || d.Added[0].Suppressed != "ignore file: known, fix in SEC-9" || len(d.Fixed) != 1 {
		t.Errorf("diff: %d new (%q), %d fixed", len(d.Added), d.Added[0].Suppressed, len(d.Fixed))
	}
	if !strings.Contains(string(readFile(t, md)), "_(suppressed)_") {
		t.Error("markdown diff does not mark the suppressed new finding")
	}
}

func TestDiffErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"diff", fixtureJSON},
		{"diff", fixtureJSON, "missing.json"},
		{"diff", "-", "-"},
		{"diff", fixtureJSON, fixtureJSON, "-o", "d.sarif"},
		{"diff", fixtureJSON, fixtureJSON, "--format", "html"},
		{"diff", fixtureJSON, fixtureJSON, "--fail-on", "bad"},
		{"diff", fixtureJSON, fixtureJSON, "--ignore-file", "missing.yaml"},
	} {
		if code, _, stderr := reportRun(t, "", args...); code != 2 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, stderr)
		}
	}
	// NEW from stdin works.
	if code, stdout, _ := reportRun(t, string(readFile(t, fixtureJSON)), "diff", fixtureJSON, "-"); code != 0 || !strings.Contains(stdout, "0 new") {
		t.Errorf("stdin diff: exit %d\n%s", code, stdout)
	}
}
