package engine

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
)

func TestVerdicts(t *testing.T) {
	anon401 := oracle.NewSample(401, nil, []byte(`{"error":"login"}`), nil)
	anon200 := oracle.NewSample(200, nil, []byte(`{"status":"ok"}`), nil)
	valid := oracle.NewSample(200, nil, []byte(`{"user":"alice","orders":[1]}`), nil)
	forbidden := oracle.NewSample(403, nil, []byte(`{"error":"admin only"}`), nil)
	if v, ref := identityVerdict(valid, []*oracle.Sample{valid}, anon401); v != oracle.Accepted || ref == nil || !ref.Gated {
		t.Errorf("valid vs 401: %s", v)
	}
	if v, _ := identityVerdict(forbidden, []*oracle.Sample{forbidden}, anon401); v != oracle.Rejected {
		t.Errorf("403 for the identity: %s", v)
	}
	if v, _ := identityVerdict(anon200, []*oracle.Sample{anon200}, anon200); v != oracle.Accepted {
		t.Errorf("public: %s", v)
	}
	if v, _ := identityVerdict(valid, []*oracle.Sample{valid}, oracle.NewSample(429, nil, nil, nil)); v != oracle.Inconclusive {
		t.Errorf("throttled anonymous: %s", v)
	}
	if anonVerdict(anon200, true) != oracle.Rejected || anonVerdict(anon200, false) != oracle.Accepted || anonVerdict(anon401, false) != oracle.Rejected {
		t.Error("anonymous verdicts")
	}
}

// handlerTransport serves requests in-process, whatever their host.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// TestCleartext: a key accepted over http:// on a non-loopback host is a
// finding; over https://, or on loopback, it is not.
func TestCleartext(t *testing.T) {
	checks, err := Select(Registry(), []string{"transport"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for target, want := range map[string]bool{"http://api.partner.example": true, "https://api.partner.example": false, "http://127.0.0.1:8080": false} {
		u, _ := url.Parse(target)
		client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Transport: handlerTransport{&keyAPI{}}})
		if err != nil {
			t.Fatal(err)
		}
		ep, _ := inventory.ParseEndpoint("GET /v2/accounts")
		out, err := Run(context.Background(), Options{Target: u, Client: client, Checks: checks,
			Inventory:  &inventory.Inventory{Endpoints: []inventory.Endpoint{ep}},
			Identities: []*identity.Identity{{Name: "acme", Base: identity.Creds{Headers: map[string]string{"Api-Token": "tok_Acme_5f2b9c1d7e3a4b60"}}}}})
		if err != nil {
			t.Fatal(err)
		}
		got := len(out.Findings) == 1 && out.Findings[0].Rule == "transport.cleartext-credentials" && out.Findings[0].Endpoint.Path == "/v2/accounts"
		if got != want || (!want && len(out.Findings) > 0) {
			t.Errorf("%s: findings %+v", target, out.Findings)
		}
	}
}

// TestMixedIdentity: an identity that sends a JWT the API ignores next to
// a key it checks gets in by the key; no JWT forgery may pass for a finding,
// and the matrix shows each credential alone.
func TestMixedIdentity(t *testing.T) {
	srv := httptest.NewServer(&keyAPI{lockAfter: 150})
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ep, _ := inventory.ParseEndpoint("GET /v2/reports")
	mixed := identity.Creds{Bearer: validToken(t), Headers: map[string]string{"Api-Token": "tok_Acme_5f2b9c1d7e3a4b60"}}
	out, err := Run(context.Background(), Options{Target: u, Client: client, Checks: Registry(),
		Inventory:  &inventory.Inventory{Endpoints: []inventory.Endpoint{ep}},
		Identities: []*identity.Identity{{Name: "mixed", Base: mixed}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range out.Findings {
		if strings.HasPrefix(f.Rule, "jwt.") {
			t.Errorf("JWT finding where the JWT is ignored: %s: %s", f.Rule, f.Message)
		}
	}
	m := out.Rows[0].Matrix
	if m["mixed"] != "accepted" || m["mixed:jwt-only"] != "rejected" || m["mixed:key-only"] != "accepted" {
		t.Errorf("matrix %v", m)
	}
}
