//go:build cgo

package static

import (
	"slices"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/rules"
)

// TestRuleRegistry: every id a rule reports is a static catalog entry with
// a CWE, a Flask fix and a fixture that expects it; every py.* entry is
// reported by some rule.
func TestRuleRegistry(t *testing.T) {
	fixtureWants := map[string]bool{}
	dirs := []string{"testdata/fixtures"}
	for _, d := range dirs {
		for k := range wants(t, d) {
			fixtureWants[k[strings.LastIndex(k, " ")+1:]] = true
		}
	}
	reported := map[string]bool{}
	declared := map[string]rules.Evidence{}
	for _, r := range rules.All() {
		// The evidence gate: every id says what a medium+ finding must
		// carry, one id alike wherever it is reported, and nothing else.
		for id := range r.Evidence {
			if !slices.Contains(r.IDs, id) {
				t.Errorf("rule %v declares evidence for %s, which it does not report", r.IDs, id)
			}
		}
		for _, id := range r.IDs {
			e, ok := r.Evidence[id]
			switch {
			case !ok || e.Kind == "":
				t.Errorf("%s declares no evidence", id)
			case e.Floor.Rank() >= finding.Medium.Rank():
				t.Errorf("%s: floor %s, want low or info", id, e.Floor)
			}
			if d, ok := declared[id]; ok && d.Kind != e.Kind {
				t.Errorf("%s declared as %s and %s", id, d.Kind, e.Kind)
			}
			declared[id] = e
		}
		if r.Doc == "" || r.Run == nil || len(r.IDs) == 0 {
			t.Errorf("rule %v lacks doc, ids or Run", r.IDs)
		}
		for _, id := range r.IDs {
			reported[id] = true
			e, ok := catalog.Lookup(id)
			switch {
			case !ok:
				t.Errorf("%s is not in the catalog", id)
			case e.Kind != catalog.Static || !strings.HasPrefix(id, "py."):
				t.Errorf("%s: kind %s, want a py.* static entry", id, e.Kind)
			case len(e.CWE) == 0 || len(e.OWASP) == 0 || e.Remediation == "" || e.Description == "" || e.Title == "":
				t.Errorf("%s: incomplete catalog entry", id)
			}
			if !fixtureWants[id] {
				t.Errorf("%s has no fixture line that expects it", id)
			}
		}
	}
	for _, e := range catalog.All() {
		if e.Kind == catalog.Static && !reported[e.ID] {
			t.Errorf("catalog entry %s is reported by no rule", e.ID)
		}
	}
}
