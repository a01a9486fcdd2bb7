package inventory

import "testing"

// TestChecksCredentialAnywhere: a route whose code checks no credential
// (ExpectsNone) is no evidence that the API authenticates; one left out
// of the scan (a GET that changes state) whose code checks a key is.
func TestChecksCredentialAnywhere(t *testing.T) {
	inv := &Inventory{Endpoints: []Endpoint{
		{Method: "GET", Path: "/", Expects: []string{ExpectsNone}},
		{Method: "POST", Path: "/add", Expects: []string{ExpectsNone}},
		{Method: "GET", Path: "/all"},
	}}
	if ep := inv.ChecksCredentialAnywhere(); ep != nil {
		t.Fatalf("routes that check nothing named as checking a credential: %s %v", ep.Key(), ep.Expects)
	}
	inv.Excluded = []Endpoint{{Method: "GET", Path: "/report-closed/{cafe_id}", Expects: []string{"api-key"}}}
	if ep := inv.ChecksCredentialAnywhere(); ep == nil || ep.Path != "/report-closed/{cafe_id}" {
		t.Fatalf("the key checked on a route left out of the scan not seen: %v", ep)
	}
	inv.Endpoints[2].Expects = []string{ExpectsNone, "custom"}
	if ep := inv.ChecksCredentialAnywhere(); ep == nil || ep.Path != "/all" {
		t.Fatalf("a scanned route that checks a custom token should come first: %v", ep)
	}
}
