package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

// withFlow is the fixture with a static finding carrying an evidence path.
func withFlow() *Result {
	r := fixture()
	r.Findings = append(r.Findings, finding.Finding{
		Fingerprint: "f1", Rule: "py.apikey-timing-compare", Title: "Timing", Severity: finding.Medium,
		Confidence: finding.Firm, Message: "a secret is compared with !=", Remediation: "hmac.compare_digest", Source: "static",
		Location: &finding.Location{File: "app.py", Line: 30},
		Flow: []finding.Step{
			{Location: finding.Location{File: "app.py", Line: 26}, Role: "entry", Note: "route POST /hooks/github"},
			{Location: finding.Location{File: "app.py", Line: 28}, Role: "source", Note: "request data"},
			{Location: finding.Location{File: "app.py", Line: 30}, Role: "sink", Note: "compared without a constant-time function"},
		},
	})
	return r
}

// TestFlowRendered: a finding's evidence path is SARIF codeFlows (valid
// 2.1.0), JSON flow and text path lines.
func TestFlowRendered(t *testing.T) {
	r := withFlow()
	data := render(t, "sarif", r, Options{})
	if err := validateSARIF(t, sarifSchema(t), data); err != nil {
		t.Fatalf("SARIF with codeFlows fails the 2.1.0 schema: %v", err)
	}
	var log sarifLog
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, res := range log.Runs[0].Results {
		if res.RuleID != "py.apikey-timing-compare" {
			continue
		}
		found = true
		if len(res.CodeFlows) != 1 || len(res.CodeFlows[0].ThreadFlows) != 1 || len(res.CodeFlows[0].ThreadFlows[0].Locations) != 3 {
			t.Fatalf("codeFlows = %+v, want one thread of 3 locations", res.CodeFlows)
		}
		if m := res.CodeFlows[0].ThreadFlows[0].Locations[2].Location.Message; m == nil || m.Text != "sink: compared without a constant-time function" {
			t.Errorf("sink step message = %+v", m)
		}
	}
	if !found {
		t.Fatal("the finding with a flow is not in the SARIF log")
	}
	js := render(t, "json", r, Options{})
	if !bytes.Contains(js, []byte(`"role": "source"`)) && !bytes.Contains(js, []byte(`"role":"source"`)) {
		t.Errorf("JSON has no flow step with role source")
	}
	txt := render(t, "txt", r, Options{})
	if !bytes.Contains(txt, []byte("sink app.py:30")) {
		t.Errorf("text report has no path line for the sink:\n%s", txt)
	}
}
