package cli

import (
	"net/http"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
)

// TestConfigHeadersAndAPIKey: api_key: is a key credential; headers: are
// plain request headers, sent but never a credential, unless an old
// config names a credential there (kept, with a deprecation message).
func TestConfigHeadersAndAPIKey(t *testing.T) {
	p := writeConfig(t, `
identities:
  partner:
    api_key: {header: X-Partner-Key, value: pk_live_1}
    headers: {X-Tenant: acme, Accept-Language: fr, User-Agent: ci-bot}
  legacy:
    headers: {X-API-Key: sk_live_x, X-Client: cli}
  q:
    api_key: {query: key, value: qk}
`)
	c, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	partner, legacy, q := c.Identities[0].Base, c.Identities[1].Base, c.Identities[2].Base
	if partner.Headers["X-Partner-Key"] != "pk_live_1" || partner.Plain["X-Tenant"] != "acme" || partner.Plain["User-Agent"] != "ci-bot" || len(partner.Headers) != 1 {
		t.Errorf("partner %+v", partner)
	}
	if legacy.Headers["X-API-Key"] != "sk_live_x" || legacy.Plain["X-Client"] != "cli" || len(legacy.Headers) != 1 {
		t.Errorf("legacy %+v", legacy)
	}
	if q.Query["key"] != "qk" {
		t.Errorf("query key %+v", q)
	}
	for _, s := range partner.Secrets() {
		if s == "acme" {
			t.Error("a plain header is redacted as a secret")
		}
	}
	req := &httpx.Request{Method: "GET", URL: "http://x/", Header: http.Header{}}
	if err := partner.Apply(req); err != nil || req.Header.Get("X-Tenant") != "acme" || req.Header.Get("X-Partner-Key") != "pk_live_1" {
		t.Errorf("sent headers %v (%v)", req.Header, err)
	}
	if len(c.Deprecations) != 1 || !strings.Contains(c.Deprecations[0], "identity legacy: headers: X-API-Key") || !strings.Contains(c.Deprecations[0], "api_key: {header: X-API-Key") {
		t.Errorf("deprecations %q", c.Deprecations)
	}
	// A key without a place is kept unplaced (the scan infers where it
	// goes), never sent as it is.
	for _, doc := range []string{"identities:\n  a:\n    api_key: {value: v}\n", "identities:\n  a:\n    api_key: v\n"} {
		c, err := LoadConfig(writeConfig(t, doc))
		if err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		b := c.Identities[0].Base
		if b.Unplaced != "v" || len(b.Headers)+len(b.Query)+len(b.Cookies) != 0 || b.Bearer != "" {
			t.Errorf("%q: creds %+v", doc, b)
		}
	}
	for _, bad := range []string{
		"identities:\n  a:\n    api_key: {valeu: v}\n",
		"identities:\n  a:\n    api_key: {header: X, query: y, value: v}\n",
		"identities:\n  a:\n    api_key: {header: X}\n",
		"identities:\n  a:\n    headers: {X-Tenant: acme}\n",
	} {
		if _, err := LoadConfig(writeConfig(t, bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
