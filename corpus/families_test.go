package corpus

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/authprobe/authprobe/internal/catalog"
)

// familiesProbe prints the scorer's family map (scripts/corpus_apis.py
// FAMILIES) as JSON.
const familiesProbe = `
import json, sys
sys.path.insert(0, sys.argv[1])
import corpus_apis as c
print(json.dumps(c.FAMILIES))
`

// knownRule says whether a name the scorer matches findings by is a catalog
// rule: an id the catalog has, or a prefix ending in "." or "-" that at
// least one catalog id starts with.
func knownRule(name string) bool {
	if _, ok := catalog.Lookup(name); ok {
		return true
	}
	if !strings.HasSuffix(name, ".") && !strings.HasSuffix(name, "-") {
		return false
	}
	for _, e := range catalog.All() {
		if strings.HasPrefix(e.ID, name) {
			return true
		}
	}
	return false
}

// TestKnownRule: the check itself tells ids, prefixes and made-up names
// apart (a name the catalog lacks must fail the two tests below).
func TestKnownRule(t *testing.T) {
	for name, want := range map[string]bool{
		"authz.bola":                      true,
		"jwt.":                            true,
		"account.reset-":                  true,
		"authz.privilege-by-registration": false,
		"authz.bol":                       false,
		"nosuchfamily.":                   false,
	} {
		if got := knownRule(name); got != want {
			t.Errorf("knownRule(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestScorerFamiliesAreCatalogRules: every rule the scorer's family map
// names exists in internal/catalog, so that a truth item can only be found
// by a rule the scanner can report.
func TestScorerFamiliesAreCatalogRules(t *testing.T) {
	if testing.Short() {
		t.Skip("starts /usr/bin/python3 (make test runs it)")
	}
	scripts, err := filepath.Abs(filepath.Join("..", "scripts"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("/usr/bin/python3", "-c", familiesProbe, scripts).CombinedOutput()
	if err != nil {
		t.Fatalf("python3 (python3-yaml comes with make deps): %v\n%s", err, out)
	}
	var fams map[string][]string
	if err := json.Unmarshal(out, &fams); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(fams) == 0 {
		t.Fatal("the scorer names no family")
	}
	for fam, rules := range fams {
		for _, r := range rules {
			if !knownRule(r) {
				t.Errorf("FAMILIES[%q] names %q, which is no catalog rule id or prefix", fam, r)
			}
		}
	}
}

// TestTruthRulesAreCatalogRules: every rule a manifest's truth item narrows
// itself to (truth[].rules) exists in internal/catalog.
func TestTruthRulesAreCatalogRules(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("apis", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no API manifests: %v", err)
	}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var m apiManifest
		if err := yaml.Unmarshal(raw, &m); err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		for _, it := range m.Truth {
			for _, r := range it.Rules {
				if !knownRule(r) {
					t.Errorf("%s: truth %s names rule %q, which is no catalog rule id or prefix", p, it.ID, r)
				}
			}
		}
	}
}

// TestWritesNeverSent: a write the guard never sends (writes_never_sent)
// stays listed under writes and says why it is not counted.
func TestWritesNeverSent(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("apis", "*.yaml"))
	marked := 0
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Writes []string `yaml:"writes"`
			Never  []struct {
				Endpoint string `yaml:"endpoint"`
				Why      string `yaml:"why"`
			} `yaml:"writes_never_sent"`
		}
		if err := yaml.Unmarshal(raw, &m); err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		for _, n := range m.Never {
			marked++
			listed := false
			for _, w := range m.Writes {
				listed = listed || strings.TrimSpace(w) == strings.TrimSpace(n.Endpoint)
			}
			if !listed || n.Why == "" {
				t.Errorf("%s: writes_never_sent %q must stay listed under writes and say why", p, n.Endpoint)
			}
		}
	}
	if marked == 0 {
		t.Error("no manifest marks a write the guard never sends (stores-jwt-restful's DELETE /items and /stores)")
	}
}
