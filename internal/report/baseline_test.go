package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
)

func static(rule, file string, line int, snippet string) finding.Finding {
	f := finding.Finding{Rule: rule, Severity: finding.High, Confidence: finding.Firm, CWE: []string{"CWE-287"},
		Location: &finding.Location{File: file, Line: line, Snippet: snippet}}
	f.ComputeFingerprint()
	return f
}

func TestMatch(t *testing.T) {
	old := []finding.Finding{
		static("py.a", "app.py", 10, "jwt.decode(t, verify=False)"), // moves to line 14
		static("py.b", "app.py", 20, "SECRET = 'x'"),                // fixed
		mk("jwt.alg-none", finding.Critical, finding.Confirmed),     // unchanged
		static("py.c", "app.py", 30, ""),                            // no snippet, moved: not matched
	}
	new := []finding.Finding{
		mk("jwt.alg-none", finding.Critical, finding.Confirmed),
		static("py.a", "app.py", 14, "  jwt.decode(t, verify=False)"),
		static("py.d", "app.py", 40, "x"), // new
		static("py.c", "app.py", 31, ""),
	}
	m := Match(old, new)
	if len(m.Unchanged) != 2 || m.Unchanged[0] != (Pair{Old: 2, New: 0}) || m.Unchanged[1] != (Pair{Old: 0, New: 1}) {
		t.Errorf("unchanged = %+v", m.Unchanged)
	}
	if want := []int{2, 3}; !equalInts(m.Added, want) {
		t.Errorf("added = %v, want %v", m.Added, want)
	}
	if want := []int{1, 3}; !equalInts(m.Fixed, want) {
		t.Errorf("fixed = %v, want %v", m.Fixed, want)
	}
	// Two identical findings in new and one in old: one is new.
	twice := []finding.Finding{old[2], old[2]}
	if m := Match(old[2:3], twice); len(m.Unchanged) != 1 || len(m.Added) != 1 {
		t.Errorf("duplicate matching: %+v", m)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestBaseline(t *testing.T) {
	old := New("http://x", "0")
	old.Findings = []finding.Finding{mk("a", finding.High, finding.Firm), mk("b", finding.Low, finding.Firm)}
	r := New("http://x", "0")
	already := mk("c", finding.Medium, finding.Firm)
	already.Suppressed = "inline: test fixture"
	r.Findings = []finding.Finding{mk("a", finding.High, finding.Firm), mk("new", finding.Low, finding.Firm), already}
	r.Stats.Suppressed = 1
	if n := Baseline(r, old); n != 1 {
		t.Fatalf("Baseline suppressed %d, want 1", n)
	}
	if r.Findings[0].Suppressed != BaselineReason || r.Findings[1].Suppressed != "" || r.Findings[2].Suppressed != "inline: test fixture" {
		t.Errorf("suppressions: %q %q %q", r.Findings[0].Suppressed, r.Findings[1].Suppressed, r.Findings[2].Suppressed)
	}
	if r.Stats.Suppressed != 2 {
		t.Errorf("Stats.Suppressed = %d, want 2", r.Stats.Suppressed)
	}
	if fail, _ := Gate(r, finding.Medium, 0); fail {
		t.Error("a baselined high finding still fails --fail-on medium")
	}
	if fail, _ := Gate(r, finding.Low, 0); !fail {
		t.Error("the new low finding does not fail --fail-on low")
	}
}

func writeIgnore(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ignore.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestIgnoreFile(t *testing.T) {
	a, b, c := mk("a", finding.High, finding.Firm), mk("b", finding.High, finding.Firm), mk("c", finding.High, finding.Firm)
	path := writeIgnore(t, "ignore:\n"+
		"  - fingerprint: "+a.Fingerprint+"\n    reason: accepted, SEC-1\n    expires: 2026-12-31\n"+
		"  - fingerprint: "+b.Fingerprint+"\n    reason: old exception\n    expires: 2026-01-01\n"+
		"  - fingerprint: "+c.Fingerprint+"\n    reason: forever\n"+
		"  - fingerprint: 0123456789abcdef0123456789abcdef\n    reason: gone\n    expires: 2020-01-01\n")
	ig, err := LoadIgnore(path)
	if err != nil {
		t.Fatal(err)
	}
	r := New("http://x", "0")
	r.Findings = []finding.Finding{a, b, c}
	now := time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC) // last minute of a's last day
	if n := ApplyIgnore(r, ig, now); n != 2 {
		t.Fatalf("ApplyIgnore suppressed %d, want 2", n)
	}
	if got := r.Findings[0].Suppressed; got != "ignore file: accepted, SEC-1 (until 2026-12-31)" {
		t.Errorf("a: %q", got)
	}
	if r.Findings[1].Suppressed != "" {
		t.Errorf("expired entry still suppresses b: %q", r.Findings[1].Suppressed)
	}
	if r.Findings[2].Suppressed != "ignore file: forever" {
		t.Errorf("c: %q", r.Findings[2].Suppressed)
	}
	// One warning: b's entry expired; the expired entry for an absent
	// finding says nothing.
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], b.Fingerprint) || !strings.Contains(r.Warnings[0], "expired") {
		t.Errorf("warnings = %q", r.Warnings)
	}
	// A day later a's entry has expired too.
	r2 := New("http://x", "0")
	r2.Findings = []finding.Finding{a}
	if n := ApplyIgnore(r2, ig, now.Add(time.Minute)); n != 0 {
		t.Errorf("entry still active after its expiry day: %d", n)
	}
}

func TestLoadIgnoreErrors(t *testing.T) {
	fp := "0123456789abcdef0123456789abcdef"
	for name, body := range map[string]string{
		"no reason":   "ignore:\n  - fingerprint: " + fp + "\n",
		"bad date":    "ignore:\n  - fingerprint: " + fp + "\n    reason: r\n    expires: 31/12/2026\n",
		"bad print":   "ignore:\n  - fingerprint: NOT-HEX\n    reason: r\n",
		"typo key":    "ignore:\n  - fingerprint: " + fp + "\n    reason: r\n    expire: 2026-01-01\n",
		"duplicate":   "ignore:\n  - {fingerprint: " + fp + ", reason: r}\n  - {fingerprint: " + fp + ", reason: s}\n",
		"not yaml":    "ignore: [\n",
		"wrong shape": "ignore: yes\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := LoadIgnore(writeIgnore(t, body)); err == nil {
				t.Error("no error")
			}
		})
	}
	if ig, err := LoadIgnore(writeIgnore(t, "")); err != nil || len(ig.Entries) != 0 {
		t.Errorf("empty file: %v %v", ig, err)
	}
	if _, err := LoadIgnore(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestApplyCIOptions(t *testing.T) {
	dir := t.TempDir()
	old := New("http://x", "0")
	old.Findings = []finding.Finding{mk("a", finding.High, finding.Firm), mk("b", finding.High, finding.Firm)}
	base := filepath.Join(dir, "old.json")
	if err := WriteFiles(old, []string{base}, Options{}); err != nil {
		t.Fatal(err)
	}
	r := New("http://x", "0")
	r.Findings = []finding.Finding{mk("a", finding.High, finding.Firm), mk("b", finding.High, finding.Firm), mk("c", finding.Low, finding.Firm)}
	ign := writeIgnore(t, "ignore:\n  - fingerprint: "+r.Findings[1].Fingerprint+"\n    reason: known\n")
	err := ApplyCIOptions(r, CIOptions{Baseline: base, IgnoreFile: ign, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{r.Findings[0].Suppressed, r.Findings[1].Suppressed, r.Findings[2].Suppressed}
	if got[0] != BaselineReason || got[1] != "ignore file: known" || got[2] != "" || r.Stats.Suppressed != 2 {
		t.Errorf("suppressions %q, count %d", got, r.Stats.Suppressed)
	}
	if err := ApplyCIOptions(r, CIOptions{Baseline: filepath.Join(dir, "nope.json")}); err == nil || !strings.Contains(err.Error(), "baseline") {
		t.Errorf("missing baseline: %v", err)
	}
}

// TestMatchAcrossRootCauses: a result written when each endpoint was its
// own finding (no instances) diffs against one that lists them as places
// of one root cause: nothing new, nothing fixed but the place that went
// away; a forged privilege is a place of the recovered secret's finding.
func TestMatchAcrossRootCauses(t *testing.T) {
	at := func(rule, path, id string) finding.Finding {
		f := finding.Finding{Rule: rule, Severity: finding.Critical, Identity: id}
		if path != "" {
			f.Endpoint = &finding.Endpoint{Method: "GET", Path: path}
		}
		f.ComputeFingerprint()
		return f
	}
	old := []finding.Finding{
		at("jwt.signature-not-verified", "/a", "alice"),
		at("jwt.signature-not-verified", "/b", "alice"),
		at("jwt.signature-not-verified", "/gone", "alice"),
		at("jwt.weak-secret", "", "bob"),
		at("jwt.forged-privilege", "/admin", "bob"),
	}
	root := at("jwt.signature-not-verified", "/a", "alice")
	root.ComputeRootFingerprint("gate:x")
	root.Instances = []finding.Instance{{Endpoint: &finding.Endpoint{Method: "GET", Path: "/a"}}, {Endpoint: &finding.Endpoint{Method: "GET", Path: "/b"}},
		{Endpoint: &finding.Endpoint{Method: "GET", Path: "/c"}}}
	chain := at("jwt.weak-secret", "", "bob")
	chain.ComputeRootFingerprint("issuer:x")
	chain.Instances = []finding.Instance{{Identity: "bob"}, {Endpoint: &finding.Endpoint{Method: "GET", Path: "/admin"}, Identity: "bob"}}
	m := Match(old, []finding.Finding{root, chain})
	if len(m.Added) != 0 {
		t.Errorf("added %v: a root cause that lists the old places is not new", m.Added)
	}
	if want := []int{2}; !equalInts(m.Fixed, want) {
		t.Errorf("fixed %v, want %v (only the place no longer seen)", m.Fixed, want)
	}
	if len(m.Unchanged) != 2 {
		t.Errorf("unchanged %+v, want one pair per new finding", m.Unchanged)
	}
}
