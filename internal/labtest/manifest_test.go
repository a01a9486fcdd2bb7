package labtest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// reservedRules reads every rule id reserved in docs/rule-ids.md.
func reservedRules(t *testing.T) map[string]bool {
	t.Helper()
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(filepath.Dir(root), "docs", "rule-ids.md"))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, id := range regexp.MustCompile(`\b[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*\b`).FindAllString(string(data), -1) {
		ids[id] = true
	}
	if len(ids) < 10 {
		t.Fatalf("docs/rule-ids.md: only %d rule ids found", len(ids))
	}
	return ids
}

func TestNamesFindsLabs(t *testing.T) {
	names, err := Names()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no lab with a lab.yaml under labs/")
	}
	root, _ := Root()
	for _, n := range names {
		if !isFile(filepath.Join(root, n, AppFile)) {
			t.Errorf("lab %s has no %s", n, AppFile)
		}
	}
}

// TestManifests checks every manifest against the rule ids, its twin and its
// own scan config: each expected endpoint is one the scan will know about, and
// each expected identity is configured.
func TestManifests(t *testing.T) {
	names, err := Names()
	if err != nil {
		t.Fatal(err)
	}
	rules := reservedRules(t)
	root, _ := Root()
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			m, err := Load(name)
			if err != nil {
				t.Fatal(err)
			}
			cfg := loadConfig(t, filepath.Join(root, name))
			endpoints := cfg.knownEndpoints(t, filepath.Join(root, name))
			for _, e := range m.Expect {
				if !rules[e.Rule] {
					t.Errorf("%s: rule id not reserved in docs/rule-ids.md", e)
				}
				if e.Endpoint != "" && !endpoints[e.Endpoint] {
					t.Errorf("%s: endpoint is neither in the config's endpoints nor in its spec", e)
				}
				if e.Identity != "" && cfg.Identities[e.Identity] == nil {
					t.Errorf("%s: identity is not in %s", e, ConfigFile)
				}
				for _, in := range e.Instances {
					if strings.Contains(in, " ") && !endpoints[in] {
						t.Errorf("%s: instance %s is neither in the config's endpoints nor in its spec", e, in)
					}
					if !strings.Contains(in, " ") && cfg.Identities[in] == nil {
						t.Errorf("%s: instance %s is not an identity of %s", e, in, ConfigFile)
					}
				}
			}
			if m.Twin == "" {
				return
			}
			twin, err := Load(m.Twin)
			if err != nil {
				t.Fatalf("twin: %v", err)
			}
			if len(twin.Expect) != 0 || twin.Twin != "" {
				t.Errorf("twin %s must expect nothing and have no twin itself", m.Twin)
			}
		})
	}
}

func TestParseManifestRejects(t *testing.T) {
	ok := "name: x\ndescription: d\n"
	cases := map[string]string{
		"unknown field":     ok + "expect: []\nextra: 1\n",
		"no description":    "name: x\nexpect: []\n",
		"bad cwe":           ok + "expect: [{rule: a.b, endpoint: GET /x, cwe: 347}]\n",
		"no rule":           ok + "expect: [{endpoint: GET /x, cwe: CWE-347}]\n",
		"endpoint+identity": ok + "expect: [{rule: a.b, endpoint: GET /x, identity: bob, cwe: CWE-1}]\n",
		"bad endpoint":      ok + "expect: [{rule: a.b, endpoint: /x, cwe: CWE-1}]\n",
		"duplicate":         ok + "expect: [{rule: a.b, identity: bob, cwe: CWE-1}, {rule: a.b, identity: bob, cwe: CWE-1}]\n",
		"twin, no findings": ok + "twin: y\nexpect: []\n",
		"bad instance":      ok + "expect: [{rule: a.b, endpoint: GET /x, cwe: CWE-1, instances: [GET /x, /y z]}]\n",
		"instance twice":    ok + "expect: [{rule: a.b, endpoint: GET /x, cwe: CWE-1, instances: [GET /x, GET /x]}]\n",
		"no representative": ok + "expect: [{rule: a.b, endpoint: GET /x, cwe: CWE-1, instances: [GET /y]}]\n",
		"not yaml":          "name: [x\n",
	}
	for name, src := range cases {
		if _, err := parseManifest([]byte(src)); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
	m, err := parseManifest([]byte(ok + "twin: y\nexpect:\n  - {rule: a.b, identity: bob, cwe: CWE-613}\n"))
	if err != nil || len(m.Expect) != 1 || m.Expect[0].Identity != "bob" || m.Twin != "y" {
		t.Fatalf("valid manifest: %+v, %v", m, err)
	}
	if got := m.Expect[0].String(); !strings.Contains(got, "identity bob") {
		t.Errorf("String() = %q", got)
	}
	// Old entries (one endpoint, no instances) and root causes with their
	// instances parse side by side.
	m, err = parseManifest([]byte(ok + "expect:\n  - {rule: a.b, endpoint: GET /x, cwe: CWE-1}\n" +
		"  - {rule: c.d, identity: bob, cwe: CWE-2, instances: [bob, carol, GET /y]}\n"))
	if err != nil {
		t.Fatalf("mixed manifest: %v", err)
	}
	if got := strings.Join(m.Expect[0].Places(), ","); got != "GET /x" {
		t.Errorf("old entry places %q", got)
	}
	if got := strings.Join(m.Expect[1].Places(), ","); got != "bob,carol,GET /y" {
		t.Errorf("instances places %q", got)
	}
}
