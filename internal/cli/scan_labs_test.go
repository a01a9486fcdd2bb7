package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// TestLabs scans every lab and compares its findings at severity low or
// above with the lab's manifest: nothing missing, nothing extra. A secure
// twin must yield nothing. Every result must validate against the CONTRACT
// schema.
func TestLabs(t *testing.T) {
	names, err := labtest.Names()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no labs found")
	}
	schema := resultSchema(t)
	implemented := map[string]bool{}
	for _, c := range engine.Registry() {
		for _, r := range c.Rules {
			implemented[r] = true
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			lab := labtest.Start(t, name)
			res := scanLab(t, lab, schema)
			want := map[string]labtest.Expectation{}
			for _, e := range lab.Manifest.Expect {
				if !implemented[e.Rule] {
					t.Errorf("manifest expects %s, but no registered check reports %s", e, e.Rule)
					continue
				}
				want[expectKey(e.Rule, e.Endpoint, e.Identity)] = e
			}
			got := map[string]finding.Finding{}
			for _, f := range res.Findings {
				if f.Severity.Rank() < finding.Low.Rank() {
					continue
				}
				ep := ""
				if f.Endpoint != nil {
					ep = f.Endpoint.String()
				}
				id := ""
				if f.Endpoint == nil {
					id = f.Identity
				}
				got[expectKey(f.Rule, ep, id)] = f
			}
			for k, e := range want {
				f, ok := got[k]
				if !ok {
					t.Errorf("missing: %s", e)
					continue
				}
				if !contains(f.CWE, e.CWE) {
					t.Errorf("%s: finding carries %v, want %s", e, f.CWE, e.CWE)
				}
			}
			for k, f := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("unexpected: %s (%s) — %s [%s]", k, f.Severity, f.Message, f.Evidence.Proof)
				}
			}
			logRequests(t, res)
		})
	}
}

func expectKey(rule, endpoint, id string) string {
	return rule + " @ " + endpoint + " #" + id
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// scanLab runs the scan command on a lab as a user would and returns the
// JSON result, validated against the schema.
func scanLab(t *testing.T, lab *labtest.Lab, schema *jsonschema.Schema) *report.Result {
	t.Helper()
	out := filepath.Join(t.TempDir(), "result.json")
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), []string{"scan", lab.URL, "-c", lab.Config(), "-o", out, "--quiet", "--fail-on", "none"}, nil, &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("scan exit %d: %s", code, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Fatalf("result does not validate against docs/result.schema.json: %v", err)
	}
	var res report.Result
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if res.Stats.Requests == 0 || res.Incomplete {
		t.Fatalf("stats %+v incomplete %v", res.Stats, res.Incomplete)
	}
	return &res
}

func resultSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	root, err := labtest.Root()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(filepath.Dir(root), "docs", "result.schema.json")
	c := jsonschema.NewCompiler()
	s, err := c.Compile(path)
	if err != nil {
		t.Fatalf("compile %s: %v", path, err)
	}
	return s
}

func logRequests(t *testing.T, res *report.Result) {
	var parts []string
	for _, e := range res.Endpoints {
		parts = append(parts, fmt.Sprintf("%s %s=%d", e.Method, e.Path, e.Requests))
	}
	sort.Strings(parts)
	t.Logf("%d requests over %d endpoints in %d ms; per endpoint: %s", res.Stats.Requests, res.Stats.Endpoints, res.Stats.DurationMS, strings.Join(parts, ", "))
}
