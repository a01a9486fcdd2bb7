package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

func init() {
	labHooks["gates"] = append(labHooks["gates"], labHook{"one-finding-per-gate", testGatesLab})
}

// testGatesLab (TestLabs/gates/one-finding-per-gate) reads the scan of the
// generated API of labs/gates (3 blueprints x 60 routes behind a gate that
// does not verify signatures, one that accepts alg none and a strict one,
// all refusing alike): one CWE-347 finding per broken gate with every route
// of that gate as instances, nothing on the strict gate, and at most 5
// requests per route over the whole scan.
func testGatesLab(t *testing.T, lab *labtest.Lab, res *report.Result, _ string) {
	byGate := map[string][]string{}
	for _, f := range res.Findings {
		for _, in := range f.Places() {
			if in.Endpoint == nil {
				continue
			}
			gate, _, _ := strings.Cut(strings.TrimPrefix(in.Endpoint.Path, "/"), "/")
			if gate == "strict" {
				t.Errorf("%s on the strict gate: %s %s", f.Rule, in.Endpoint, f.Message)
			}
		}
		if contains(f.CWE, "CWE-347") {
			byGate[f.Rule] = append(byGate[f.Rule], places(f))
		}
	}
	for rule, prefix := range map[string]string{"jwt.signature-not-verified": "/unverified/", "jwt.alg-none": "/none/"} {
		got := byGate[rule]
		if len(got) != 1 {
			t.Errorf("%s: %d findings, want one for its gate", rule, len(got))
			continue
		}
		routes := strings.Split(got[0], ", ")
		if len(routes) != 60 {
			t.Errorf("%s: %d instances, want the gate's 60 routes", rule, len(routes))
		}
		for _, r := range routes {
			if !strings.HasPrefix(r, "GET "+prefix) {
				t.Errorf("%s: instance %s is not behind its gate %s", rule, r, prefix)
			}
		}
		delete(byGate, rule)
	}
	for rule := range byGate {
		t.Errorf("unexpected CWE-347 finding %s", rule)
	}
	// Requests to the API's routes; the logins and the brute-force series
	// against the login URL are a per-login cost, not a per-route one.
	routes, sent := len(res.Endpoints), 0
	for _, e := range res.Endpoints {
		sent += e.Requests
	}
	if sent == 0 || sent > res.Stats.Requests {
		t.Fatalf("%d requests counted on routes of %d sent in all", sent, res.Stats.Requests)
	}
	if per := float64(sent) / float64(routes); per > 5 {
		t.Errorf("%d requests for %d routes (%d sent in all): %.2f per route, want at most 5", sent, routes, res.Stats.Requests, per)
	}
	logRequests(t, res)

	// The same API scanned with only a few routes per gate: the same root
	// causes, the same fingerprints (the fingerprint is the gate's, not its
	// endpoint list's), fewer instances.
	few := scanSubset(t, lab, 3)
	full := map[string]string{}
	for _, f := range res.Findings {
		full[f.Rule] = f.Fingerprint
	}
	for _, f := range few.Findings {
		if !contains(f.CWE, "CWE-347") {
			continue
		}
		if full[f.Rule] != f.Fingerprint {
			t.Errorf("%s: fingerprint %s with 3 routes per gate, %s with 60", f.Rule, f.Fingerprint, full[f.Rule])
		}
		if len(f.Instances) != 3 {
			t.Errorf("%s: %d instances with 3 routes per gate", f.Rule, len(f.Instances))
		}
	}
}

// scanSubset scans the lab with its config cut to the first n routes of
// each gate.
func scanSubset(t *testing.T, lab *labtest.Lab, n int) *report.Result {
	t.Helper()
	raw, err := os.ReadFile(lab.Config())
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, l := range strings.Split(string(raw), "\n") {
		if i := strings.Index(l, "/r0"); i > 0 {
			var k int
			if _, err := fmt.Sscanf(l[i+2:], "%d", &k); err != nil || k >= n {
				continue
			}
		}
		kept = append(kept, l)
	}
	cfg := filepath.Join(t.TempDir(), "authprobe.yaml")
	if err := os.WriteFile(cfg, []byte(strings.Join(kept, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "few.json")
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), labtest.ScanArgs([]string{"scan", lab.URL, "-c", cfg, "-o", out, "--quiet", "--fail-on", "none"}), nil, &stdout, &stderr); code != ExitOK {
		t.Fatalf("scan exit %d: %s", code, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var res report.Result
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Endpoints) != 3*n+1 {
		t.Fatalf("subset scan has %d endpoints, want %d", len(res.Endpoints), 3*n+1)
	}
	return &res
}
