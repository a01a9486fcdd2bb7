package report

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/authprobe/authprobe/internal/testref"
)

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	path := testref.Path(t, testref.SARIFSchema)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const id = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatalf("compile SARIF schema: %v", err)
	}
	return s
}

func validateSARIF(t *testing.T, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	return s.Validate(inst)
}

func TestSARIFSchema(t *testing.T) {
	s := sarifSchema(t)
	clean := New("http://x", "0.1.0")
	anchored := fixture()
	anchored.Endpoints = nil
	for name, r := range map[string]*Result{"fixture": fixture(), "clean": clean, "no handlers": anchored} {
		if err := validateSARIF(t, s, render(t, "sarif", r, Options{})); err != nil {
			t.Errorf("%s: SARIF fails the 2.1.0 schema: %v", name, err)
		}
	}
	// The validator itself must catch what go-sarif got wrong: an invalid level.
	bad := bytes.Replace(render(t, "sarif", fixture(), Options{}), []byte(`"level": "error"`), []byte(`"level": "critical"`), 1)
	if err := validateSARIF(t, s, bad); err == nil {
		t.Error("a SARIF log with level \"critical\" passed validation: the schema check is not working")
	}
}

func TestSARIFContent(t *testing.T) {
	var log sarifLog
	if err := json.Unmarshal(render(t, "sarif", fixture(), Options{}), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	ids := map[string]bool{}
	for _, r := range run.Tool.Driver.Rules {
		if ids[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		ids[r.ID] = true
	}
	fx := fixture()
	if len(run.Results) != len(fx.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(fx.Findings))
	}
	byFP := map[string]sarifResult{}
	for _, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s points at rule index %d (%s)", res.RuleID, res.RuleIndex, run.Tool.Driver.Rules[res.RuleIndex].ID)
		}
		byFP[res.PartialFingerprints[FingerprintKey]] = res
	}
	handlers := map[string]string{}
	for _, e := range fx.Endpoints {
		handlers[e.Method+" "+e.Path] = e.Source
	}
	for _, f := range fx.Findings {
		res, ok := byFP[f.Fingerprint]
		if !ok {
			t.Errorf("%s: no result with its fingerprint", f.Rule)
			continue
		}
		// GitHub rejects the whole upload if one result lacks a physical location.
		if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation == nil {
			t.Errorf("%s: no physicalLocation", f.Rule)
			continue
		}
		uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI
		want, how := DefaultSARIFAnchor, "anchor"
		switch {
		case f.Location != nil:
			want, how = f.Location.File, "source"
		case f.Endpoint != nil && handlers[f.Endpoint.String()] != "":
			want, how = "app.py", "handler" // the endpoint's Source is app.py:NN
		}
		if uri != want || res.Properties["location"] != how {
			t.Errorf("%s: located at %s (%v), want %s (%s)", f.Rule, uri, res.Properties["location"], want, how)
		}
		if f.Endpoint != nil {
			if !strings.Contains(res.Message.Text, f.Endpoint.String()) || res.Properties["endpoint"] != f.Endpoint.String() {
				t.Errorf("%s: endpoint missing from message or properties: %q", f.Rule, res.Message.Text)
			}
			if len(res.Locations) == 0 || len(res.Locations[0].LogicalLocations) == 0 {
				t.Errorf("%s: no logicalLocation for the endpoint", f.Rule)
			}
		}
		if (f.Suppressed != "") != (len(res.Suppressions) == 1) {
			t.Errorf("%s: suppressed %q but %d suppressions", f.Rule, f.Suppressed, len(res.Suppressions))
		}
	}
}

// TestSARIFCatalogHelp checks that, by default, a rule's description comes
// from the catalog entry of the same id.
func TestSARIFCatalogHelp(t *testing.T) {
	r := New("http://x", "0.1.0")
	f := fixture().Findings[1] // jwt.signature-not-verified
	r.Findings = append(r.Findings, f)
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	rule := log.Runs[0].Tool.Driver.Rules[0]
	want := Options{}.description(f.Rule)
	if want == "" {
		t.Fatalf("catalog has no description for %s", f.Rule)
	}
	if rule.FullDescription == nil || rule.FullDescription.Text != want {
		t.Errorf("fullDescription = %+v, want the catalog's %q", rule.FullDescription, want)
	}
}
