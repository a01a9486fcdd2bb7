package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

// diffPair is the fixture before and after a fix: the BOLA is fixed, the
// static finding moved two lines down, a new finding appeared.
func diffPair() (*Result, *Result) {
	old := fixture()
	new := fixture()
	new.Findings = append([]finding.Finding(nil), new.Findings...)
	// Fixed: authz.bola (index 2) disappears.
	new.Findings = append(new.Findings[:2], new.Findings[3:]...)
	// Moved: py.jwt-unverified (now index 2) goes from line 7 to 9.
	moved := new.Findings[2]
	loc := *moved.Location
	loc.Line = 9
	moved.Location = &loc
	moved.ComputeFingerprint()
	new.Findings[2] = moved
	added := mk("jwt.alg-none", finding.Critical, finding.Confirmed, "API2:2023")
	added.Title, added.Message = "JWT with alg \"none\" is accepted", "an unsigned token was accepted"
	added.Endpoint = &finding.Endpoint{Method: "GET", Path: "/api/v1/orders/{order_id}"}
	added.ComputeFingerprint()
	new.Findings = append(new.Findings, added)
	return old, new
}

func TestChanges(t *testing.T) {
	old, new := diffPair()
	d := Changes(old, new)
	if len(d.Added) != 1 || d.Added[0].Rule != "jwt.alg-none" {
		t.Errorf("added = %v", rules(d.Added))
	}
	if len(d.Fixed) != 1 || d.Fixed[0].Rule != "authz.bola" {
		t.Errorf("fixed = %v", rules(d.Fixed))
	}
	if len(d.Unchanged) != len(old.Findings)-1 {
		t.Errorf("unchanged = %v", rules(d.Unchanged))
	}
	if !finding.AtLeast(d.Added, finding.Critical) {
		t.Error("the new critical does not reach --fail-on critical")
	}
	// Identical results: nothing new, nothing fixed.
	same := Changes(old, fixture())
	if len(same.Added)+len(same.Fixed) != 0 || len(same.Unchanged) != len(old.Findings) {
		t.Errorf("self-diff: %d new, %d fixed", len(same.Added), len(same.Fixed))
	}
	var buf bytes.Buffer
	if err := WriteDiffJSON(&buf, Changes(New("a", "0"), New("b", "0")), Options{}); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"new_findings", "fixed", "unchanged"} {
		if _, ok := raw[k].([]any); !ok {
			t.Errorf("%s is not an array in an empty diff: %v", k, raw[k])
		}
	}
}

func rules(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	return out
}

func TestDiffGolden(t *testing.T) {
	old, new := diffPair()
	d := Changes(old, new)
	for _, f := range []string{"txt", "json", "md"} {
		w, err := DiffForFormat(f)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := w(&buf, d, Options{}); err != nil {
			t.Fatal(err)
		}
		golden(t, "diff."+f, buf.Bytes())
	}
	if _, err := DiffForPath("d.sarif"); err == nil {
		t.Error("diff to .sarif accepted")
	}
}
