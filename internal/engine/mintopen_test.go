package engine

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// tokenShop mints bearer tokens at POST /v1/sessions/new, answered in an
// envelope ({"data": {"access_token": ...}}), and serves GET /v1/orders
// to a known token (401 JSON otherwise). mode: "open" mints for anyone,
// "guarded" mints only for a caller with a token already, "guest" mints
// anyone a guest token the orders refuse like no token at all.
type tokenShop struct {
	mode string
	mu   sync.Mutex
	live map[string]bool
	n    int
}

func (s *tokenShop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	known := s.live[tok]
	switch {
	case r.URL.Path == "/v1/sessions/new" && r.Method == http.MethodPost:
		if s.mode == "guarded" && !known {
			w.WriteHeader(http.StatusUnauthorized)
			writeJSON(w, map[string]any{"error": "unauthorized"})
			return
		}
		s.n++
		t := fmt.Sprintf("st_%08x%08x", s.n*2654435761, s.n*40503)
		if s.mode != "guest" || known {
			s.live[t] = true
		}
		writeJSON(w, map[string]any{"data": map[string]any{"access_token": t, "expires_in": 3600}})
	case r.URL.Path == "/v1/orders" && r.Method == http.MethodGet:
		if !known {
			w.WriteHeader(http.StatusUnauthorized)
			writeJSON(w, map[string]any{"error": "unauthorized"})
			return
		}
		writeJSON(w, map[string]any{"orders": []string{"o-1", "o-2"}})
	case r.URL.Path == "/v1/catalog" && r.Method == http.MethodGet:
		writeJSON(w, map[string]any{"items": []string{"pen", "ink"}})
	default:
		http.NotFound(w, r)
	}
}

func scanTokenShop(t *testing.T, mode string) *Outcome {
	t.Helper()
	shop := &tokenShop{mode: mode, live: map[string]bool{"st_alice_3f9a1c77e2b04d58": true, "st_bob_8e2d6a1f0c7b5e93": true}}
	srv := httptest.NewServer(shop)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	var eps []inventory.Endpoint
	for _, line := range []string{"GET /v1/catalog", "GET /v1/orders", "POST /v1/sessions/new"} {
		ep, err := inventory.ParseEndpoint(line)
		if err != nil {
			t.Fatal(err)
		}
		eps = append(eps, ep)
	}
	inv := &inventory.Inventory{}
	inv.Add(eps...)
	ids := []*identity.Identity{
		{Name: "alice", Base: identity.Creds{Bearer: "st_alice_3f9a1c77e2b04d58"}},
		{Name: "bob", Base: identity.Creds{Bearer: "st_bob_8e2d6a1f0c7b5e93"}},
	}
	return runComplete(t, Options{Target: u, Client: client, Inventory: inv, Identities: ids,
		AllowWrites: true, Settings: probe.Settings{BruteforceAttempts: 12}})
}

// TestOpenCredentialMinting: a write that takes no credential and hands
// anyone a bearer token that opens a gated read is missing
// authentication, proven by the token's use (another transport, another
// envelope and another path than the FastAPI key services it was found
// on); minting that needs a token already, or a guest token that opens
// nothing, is no finding.
func TestOpenCredentialMinting(t *testing.T) {
	for _, c := range []struct {
		mode string
		want bool
	}{{"open", true}, {"guarded", false}, {"guest", false}} {
		out := scanTokenShop(t, c.mode)
		got := false
		for _, f := range out.Findings {
			if f.Rule == "authz.missing-authentication" && f.Endpoint != nil && f.Endpoint.Path == "/v1/sessions/new" {
				got = true
				if f.Severity != "medium" {
					t.Errorf("%s: severity %s, want medium (a self-service sign-up may intend it)", c.mode, f.Severity)
				}
				if !strings.Contains(f.Evidence.Curl, "/v1/orders") || strings.Contains(f.Evidence.Curl, "st_0") {
					t.Errorf("%s: evidence should be the minted token's (redacted) use on the gated read: %s", c.mode, f.Evidence.Curl)
				}
			}
		}
		if got != c.want {
			for _, f := range out.Findings {
				t.Logf("%s: %s %s: %s", c.mode, f.Rule, f.Endpoint, f.Message)
			}
			t.Errorf("%s: open minting reported %v, want %v", c.mode, got, c.want)
		}
	}
}
