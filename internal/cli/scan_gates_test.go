package cli

import (
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
)

// TestGatesLab scans the generated API of labs/gates (3 blueprints x 60
// routes behind a gate that does not verify signatures, one that accepts
// alg none and a strict one, all refusing alike): one CWE-347 finding per
// broken gate with every route of that gate as instances, nothing on the
// strict gate, and at most 5 requests per route over the whole scan.
func TestGatesLab(t *testing.T) {
	lab := labtest.Start(t, "gates")
	res := scanLab(t, lab, resultSchema(t))
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
	routes := len(res.Endpoints)
	if per := float64(res.Stats.Requests) / float64(routes); per > 5 {
		t.Errorf("%d requests for %d routes: %.1f per route, want at most 5", res.Stats.Requests, routes, per)
	}
	logRequests(t, res)
}
