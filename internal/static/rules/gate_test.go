package rules

import (
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
)

// TestGate: the gate alone weighs a finding by the evidence its rule
// declares: a missing role or a counter step makes it a review item at the
// rule's floor, with the reason; evidence present keeps its weight.
func TestGate(t *testing.T) {
	sink := finding.Step{Role: "sink", Note: "used as identity"}
	cases := []struct {
		id     string
		flow   []finding.Step
		want   finding.Severity
		reason string
	}{
		{"py.jwt-unverified", []finding.Step{{Role: "entry"}, {Role: "source"}, sink}, finding.Critical, ""},
		{"py.jwt-unverified", nil, finding.Info, "no request-supplied token"},
		{"py.jwt-unverified", []finding.Step{{Role: "entry"}, sink, {Role: Counter, Note: "the same token is verified later"}},
			finding.Info, "the same token is verified later"},
		{"py.apikey-timing-compare", []finding.Step{{Role: "source"}}, finding.Low, "no path to a sink"},
		{"py.jwtx-csrf-off", []finding.Step{{Role: "source"}, sink}, finding.Medium, ""},
		{"py.jwtx-csrf-off", []finding.Step{sink, {Role: Counter, Note: "only the refresh token is a cookie"}}, finding.Low, "only the refresh token"},
		{"py.flask-debug", nil, finding.High, ""},
	}
	for _, c := range cases {
		f := catalog.New(c.id)
		f.Message, f.Flow = "m", c.flow
		gate(&f)
		if f.Severity != c.want || (c.reason != "") != strings.HasPrefix(f.Message, "review: ") || !strings.Contains(f.Message, c.reason) {
			t.Errorf("%s %v: %s %q, want %s with %q", c.id, c.flow, f.Severity, f.Message, c.want, c.reason)
		}
	}
}
