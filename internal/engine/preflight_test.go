package engine

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// TestPreflightPrintsTheRefusal: an identity every endpoint refuses as it
// refuses anonymous requests fails the preflight with the server's own
// refusal (status and the start of the body), which says what is wrong.
func TestPreflightPrintsTheRefusal(t *testing.T) {
	const refusal = `{"msg":"Missing 'Token' type in 'Authorization' header. Expected 'Authorization: Token <JWT>'"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(401)
		_, _ = w.Write([]byte(refusal))
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ep, _ := inventory.ParseEndpoint("GET /api/user")
	_, err = Run(context.Background(), Options{
		Target: u, Client: client, Inventory: &inventory.Inventory{Endpoints: []inventory.Endpoint{ep}},
		Identities: []*identity.Identity{{Name: "alice", Base: identity.Creds{Bearer: "aaa.bbb.ccc"}}},
		Checks:     Registry(),
	})
	var pf *PreflightError
	if !errors.As(err, &pf) {
		t.Fatalf("err %v, want a preflight error", err)
	}
	if !strings.Contains(err.Error(), "status 401: "+refusal) {
		t.Errorf("the preflight error does not show the refusal: %v", err)
	}
}

// TestPreflightTrustsTheMatrixOverTheCode: an endpoint the code was read
// to check nothing on (an inline check answering 200 {"success": false}
// reads as public) but whose answers tell the identity's key apart from
// none shows the key working: no "no endpoint told its credential apart"
// note, and the key family is tested there.
func TestPreflightTrustsTheMatrixOverTheCode(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("X-API-Key") != "k1-7f3a9c2e51d84b06" {
			_, _ = w.Write([]byte(`{"success": false, "error": "Invalid API key."}`))
			return
		}
		_, _ = w.Write([]byte(`{"success": true, "items": [{"id": 1, "name": "lamp"}]}`))
	})
	u, client, inv := serveFixture(t, h, httpx.Options{Timeout: 2 * time.Second}, "GET /items")
	inv.Endpoints[0].Expects = []string{inventory.ExpectsNone}
	out := runComplete(t, Options{Target: u, Client: client, Inventory: inv, Checks: []probe.Check{},
		Identities: []*identity.Identity{{Name: "a", Base: identity.Creds{Headers: map[string]string{"X-API-Key": "k1-7f3a9c2e51d84b06"}}}}})
	for _, n := range out.Notes {
		if strings.Contains(n, "told its credential apart") {
			t.Errorf("note %q, though GET /items told the key apart from none", n)
		}
	}
}
