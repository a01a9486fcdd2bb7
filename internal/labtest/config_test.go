package labtest

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// labConfig is the part of a lab's authprobe.yaml (docs/config.md) these
// tests check; the CLI owns the real parser.
type labConfig struct {
	Target     string               `yaml:"target"`
	Spec       string               `yaml:"spec"`
	Endpoints  []string             `yaml:"endpoints"`
	Identities map[string]*identity `yaml:"identities"`
	Policy     map[string][]string  `yaml:"policy"`
}

type identity struct {
	Login   *login            `yaml:"login"`
	Headers map[string]string `yaml:"headers"`
	APIKey  *apiKey           `yaml:"api_key"`
	Bearer  string            `yaml:"bearer"`
	Role    string            `yaml:"role"`
}

// apiKey is an identity's key credential (api_key: {header: ..., value: ...}).
type apiKey struct {
	Header string `yaml:"header"`
	Query  string `yaml:"query"`
	Cookie string `yaml:"cookie"`
	Value  string `yaml:"value"`
}

type login struct {
	Method string            `yaml:"method"`
	URL    string            `yaml:"url"`
	JSON   map[string]any    `yaml:"json"`
	Form   map[string]string `yaml:"form"`
	// Headers go with the login request (an HTTP Basic credential).
	Headers map[string]string `yaml:"headers"`
	Token   string            `yaml:"token"`
}

func loadConfig(t *testing.T, dir string) labConfig {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	var cfg labConfig
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("%s: %v", ConfigFile, err)
	}
	if cfg.Target != "" {
		t.Errorf("%s: target must be left out (it is given at run time)", ConfigFile)
	}
	if len(cfg.Identities) == 0 {
		t.Errorf("%s: no identities", ConfigFile)
	}
	for name, id := range cfg.Identities {
		if id == nil || (id.Login == nil && id.Bearer == "" && len(id.Headers) == 0 && (id.APIKey == nil || id.APIKey.Value == "")) {
			t.Errorf("%s: identity %s has no credential", ConfigFile, name)
		}
	}
	for pattern, who := range cfg.Policy {
		for _, name := range who {
			if cfg.Identities[name] == nil {
				t.Errorf("%s: policy %s names unknown identity %s", ConfigFile, pattern, name)
			}
		}
	}
	return cfg
}

// knownEndpoints is every "METHOD /path" of the config's endpoint list and
// of its OpenAPI spec.
func (c labConfig) knownEndpoints(t *testing.T, dir string) map[string]bool {
	t.Helper()
	known := map[string]bool{}
	for _, e := range c.Endpoints {
		known[e] = true
	}
	if c.Spec == "" {
		if len(known) == 0 {
			t.Errorf("%s: neither endpoints nor spec", ConfigFile)
		}
		return known
	}
	data, err := os.ReadFile(filepath.Join(dir, c.Spec))
	if err != nil {
		t.Fatalf("spec: %v", err)
	}
	var spec struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(data, &spec); err != nil {
		t.Fatalf("spec %s: %v", c.Spec, err)
	}
	for path, ops := range spec.Paths {
		for method := range ops {
			known[strings.ToUpper(method)+" "+path] = true
		}
	}
	if len(known) == 0 {
		t.Errorf("spec %s has no operations", c.Spec)
	}
	return known
}

// loginIdentities lists the identities that log in, sorted.
func (c labConfig) loginIdentities() []string {
	var names []string
	for name, id := range c.Identities {
		if id != nil && id.Login != nil {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}
