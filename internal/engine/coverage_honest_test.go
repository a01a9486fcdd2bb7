package engine

import (
	"testing"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// TestMostlyUnusable: an endpoint whose answers were mostly throttling,
// unrecognised server errors or timeouts is inconclusive, not tested; one
// whose 500s were its calibrated refusal is not.
func TestMostlyUnusable(t *testing.T) {
	t.Parallel()
	ep := &inventory.Endpoint{Method: "GET", Path: "/x"}
	s := &Scan{epReqs: map[string]int{ep.Key(): 10}, epUnusable: map[string]int{ep.Key(): 6}}
	if !s.mostlyUnusable(ep) {
		t.Error("6 of 10 answers unusable: not inconclusive")
	}
	s.epUnusable[ep.Key()] = 4
	if s.mostlyUnusable(ep) {
		t.Error("4 of 10 answers unusable: inconclusive")
	}
	refusal := oracle.NewSample(500, nil, []byte(`{"error":"internal error"}`), nil)
	cal := oracle.Calibrate([]*oracle.Sample{oracle.NewSample(200, nil, []byte(`{"items":[1,2]}`), nil)}, []*oracle.Sample{refusal})
	o := outcomeOf(oracle.NewSample(500, nil, []byte(`{"error":"internal error"}`), nil), cal)
	if noVerdict(o, cal) {
		t.Error("a 500 the calibration knows as the refusal was counted as no verdict")
	}
	other := outcomeOf(oracle.NewSample(502, nil, []byte(`bad gateway`), nil), cal)
	if !noVerdict(other, cal) {
		t.Error("an unrecognised 502 was counted as a verdict")
	}
}

func outcomeOf(sm *oracle.Sample, cal *oracle.Calibration) *probe.Outcome {
	v, why := cal.Classify(sm)
	return &probe.Outcome{Sample: sm, Verdict: v, Why: why}
}

// TestClaimsAuth: a route the code or spec says checks a credential is
// what makes "no identity told apart" undecided rather than public.
func TestClaimsAuth(t *testing.T) {
	t.Parallel()
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{
		{Method: "GET", Path: "/all"},
		{Method: "DELETE", Path: "/report-closed/{cafe_id}", Expects: []string{"api-key"}},
	}}
	s := &Scan{opt: Options{Inventory: inv}}
	if got := s.claimsAuth(); got != "the code checks one (api-key) on DELETE /report-closed/{cafe_id}" {
		t.Errorf("claimsAuth = %q", got)
	}
	inv.Endpoints = inv.Endpoints[:1]
	if got := s.claimsAuth(); got != "" {
		t.Errorf("claimsAuth of an API nothing says checks a credential = %q", got)
	}
	inv.Endpoints = append(inv.Endpoints, inventory.Endpoint{Method: "GET", Path: "/me", Security: [][]string{{"bearer"}}})
	if got := s.claimsAuth(); got != "the spec requires one on GET /me" {
		t.Errorf("claimsAuth = %q", got)
	}
}
