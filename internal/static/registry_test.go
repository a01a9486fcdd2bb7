//go:build cgo

package static

import (
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/catalog"
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
	for _, r := range rules.All() {
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
