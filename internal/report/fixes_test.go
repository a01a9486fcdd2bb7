package report

import (
	"encoding/json"
	"strings"
	"testing"
)

// withFixes is the fixture with a proven fix for its first finding, an
// unproven one for its second and an unpatched third.
func withFixes() *Result {
	r := fixture()
	f0, f1, f2 := r.Findings[0], r.Findings[1], r.Findings[2]
	r.Fixes = []Fix{
		{Fingerprint: f0.Fingerprint, Rule: f0.Rule, Patched: true, Proven: true, Change: "algorithms pinned to HS256",
			Proofs: FixProofs{Static: "fixed", Tests: "not run", Dynamic: "fixed"},
			Diff:   "--- a/app.py\n+++ b/app.py\n@@ -3,1 +3,1 @@\n-x = jwt.decode(t, k)\n+x = jwt.decode(t, k, algorithms=[\"HS256\"])\n",
			Replacements: []Replacement{
				{File: "app.py", StartLine: 3, EndLine: 3, Text: "x = jwt.decode(t, k, algorithms=[\"HS256\"])\n"},
				{File: "app.py", StartLine: 1, EndLine: 0, Text: "import os\n"},
			}},
		{Fingerprint: f1.Fingerprint, Rule: f1.Rule, Patched: true, Proven: false, Change: "debug from FLASK_DEBUG",
			Proofs:       FixProofs{Static: "fixed", Tests: "failed", Dynamic: "not run"},
			Diff:         "--- a/app.py\n+++ b/app.py\n",
			Replacements: []Replacement{{File: "app.py", StartLine: 9, EndLine: 9, Text: "app.run()\n"}}},
		{Fingerprint: f2.Fingerprint, Rule: f2.Rule, Reason: "no mechanical fix: object ownership is application logic",
			Proofs: FixProofs{Static: "not run", Tests: "not run", Dynamic: "not run"}},
	}
	return r
}

func TestSARIFFixesSchema(t *testing.T) {
	data := render(t, "sarif", withFixes(), Options{})
	if err := validateSARIF(t, sarifSchema(t), data); err != nil {
		t.Fatalf("SARIF with fixes fails the 2.1.0 schema: %v", err)
	}
	var log sarifLog
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	fixes := map[string][]sarifFix{}
	for _, res := range log.Runs[0].Results {
		fixes[res.PartialFingerprints[FingerprintKey]] = res.Fixes
	}
	r := withFixes()
	proven := fixes[fingerprintOf(r.Findings[0])]
	if len(proven) != 1 || len(proven[0].ArtifactChanges) != 1 || len(proven[0].ArtifactChanges[0].Replacements) != 2 {
		t.Fatalf("proven fix: %+v, want one fix with two replacements in one file", proven)
	}
	rep := proven[0].ArtifactChanges[0].Replacements[0]
	if rep.DeletedRegion.StartLine != 3 || rep.DeletedRegion.EndLine != 4 || rep.DeletedRegion.EndColumn != 1 {
		t.Errorf("replacement region %+v, want lines 3 to the start of 4", rep.DeletedRegion)
	}
	if ins := proven[0].ArtifactChanges[0].Replacements[1].DeletedRegion; ins.StartLine != ins.EndLine || ins.StartColumn != ins.EndColumn {
		t.Errorf("an insertion deletes nothing, got region %+v", ins)
	}
	if got := fixes[fingerprintOf(r.Findings[1])]; len(got) != 0 {
		t.Errorf("an unproven patch is suggested in SARIF: %+v", got)
	}
	if got := fixes[fingerprintOf(r.Findings[2])]; len(got) != 0 {
		t.Errorf("an unpatched finding carries a SARIF fix: %+v", got)
	}
}

func TestMarkdownSuggestedFixes(t *testing.T) {
	md := string(render(t, "md", withFixes(), Options{}))
	i := strings.Index(md, "### Suggested fixes")
	if i < 0 {
		t.Fatalf("no Suggested fixes section:\n%s", md)
	}
	sec := md[i:]
	for _, want := range []string{"```diff\n--- a/app.py", "(proven: static fixed, tests not run, dynamic fixed)",
		"(not proven: static fixed, tests failed, dynamic not run)", "**Not patched**", "object ownership is application logic"} {
		if !strings.Contains(sec, want) {
			t.Errorf("Suggested fixes lacks %q:\n%s", want, sec)
		}
	}
	if strings.Contains(string(render(t, "md", fixture(), Options{})), "Suggested fixes") {
		t.Error("a result without fixes has a Suggested fixes section")
	}
}
