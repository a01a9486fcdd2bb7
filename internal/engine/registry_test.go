package engine

import (
	"testing"

	"github.com/authprobe/authprobe/internal/catalog"
)

// TestRegistry: unique ids, docs present, every rule in the catalog as a
// probe, every probe entry of the catalog reported by some check.
func TestRegistry(t *testing.T) {
	ids := map[string]bool{}
	reported := map[string]bool{}
	for _, c := range Registry() {
		if ids[c.ID] {
			t.Errorf("duplicate check id %s", c.ID)
		}
		ids[c.ID] = true
		if c.Doc == "" || c.Run == nil || len(c.Rules) == 0 {
			t.Errorf("%s: doc, run and rules are required", c.ID)
		}
		for _, r := range c.Rules {
			e, ok := catalog.Lookup(r)
			if !ok {
				t.Errorf("%s reports %s, which is not in the catalog", c.ID, r)
				continue
			}
			if e.Kind != catalog.Probe {
				t.Errorf("%s reports %s, a %s rule", c.ID, r, e.Kind)
			}
			reported[r] = true
		}
	}
	for _, e := range catalog.All() {
		if e.Kind == catalog.Probe && !reported[e.ID] {
			t.Errorf("catalog entry %s is reported by no check", e.ID)
		}
	}
}

func TestSelect(t *testing.T) {
	all := Registry()
	only, err := Select(all, []string{"jwt.alg-none"}, nil)
	if err != nil || len(only) != 1 || only[0].ID != "jwt.alg-none" {
		t.Fatalf("--checks jwt.alg-none: %v %d", err, len(only))
	}
	fam, err := Select(all, []string{"jwt"}, []string{"jwt.hygiene"})
	if err != nil || len(fam) == 0 {
		t.Fatalf("family: %v", err)
	}
	for _, c := range fam {
		if c.ID == "jwt.hygiene" {
			t.Fatal("--skip ignored")
		}
	}
	// A rule id selects the check that reports it.
	if h, err := Select(all, []string{"jwt.no-expiry"}, nil); err != nil || len(h) != 1 || h[0].ID != "jwt.hygiene" {
		t.Fatalf("rule id: %v %v", err, h)
	}
	if _, err := Select(all, []string{"jw"}, nil); err == nil {
		t.Fatal("a partial word must not match a family")
	}
}

func TestRuleFilter(t *testing.T) {
	cases := []struct {
		only, skip []string
		rule       string
		want       bool
	}{
		{nil, nil, "jwt.alg-none", true},
		{nil, []string{"jwt.forged-privilege"}, "jwt.forged-privilege", false},
		{nil, []string{"jwt.forged-privilege"}, "jwt.weak-secret", true},
		{nil, []string{"jwt"}, "jwt.no-expiry", false},
		{[]string{"jwt"}, nil, "apikey.in-query", false},
		{[]string{"jwt"}, nil, "jwt.no-expiry", true},
		{[]string{"jwt.hygiene"}, nil, "jwt.no-expiry", true},
		{[]string{"jwt.no-expiry"}, nil, "jwt.long-lifetime", false},
	}
	for _, c := range cases {
		if got := RuleFilter(c.only, c.skip)(c.rule); got != c.want {
			t.Errorf("only %v skip %v: %s allowed = %v", c.only, c.skip, c.rule, got)
		}
	}
}
