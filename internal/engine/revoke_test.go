package engine

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// keyDesk issues API keys to anyone at POST /v3/keys/issue ({"key": ...}),
// serves GET /v3/reports to a live key in X-Api-Key (403 JSON otherwise)
// and revokes the key named in the body of POST /v3/keys/revoke
// ({"api_key": ...}). guarded: revoking needs a live key of one's own.
type keyDesk struct {
	guarded bool
	// query: revocation is DELETE /v3/keys?key= (keymint-fastapi's shape)
	// instead of the body of POST /v3/keys/revoke.
	query bool
	mu    sync.Mutex
	live  map[string]bool
}

func (s *keyDesk) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	caller := s.live[r.Header.Get("X-Api-Key")]
	refuse := func() {
		w.WriteHeader(http.StatusForbidden)
		writeJSON(w, map[string]any{"detail": "invalid or missing API key"})
	}
	switch {
	case r.URL.Path == "/v3/keys/issue" && r.Method == http.MethodPost:
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		k := "kd_" + hex.EncodeToString(b)
		s.live[k] = true
		writeJSON(w, map[string]any{"key": k})
	case r.URL.Path == "/v3/keys/revoke" && r.Method == http.MethodPost:
		if s.guarded && !caller {
			refuse()
			return
		}
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		delete(s.live, body["api_key"])
		writeJSON(w, map[string]any{"revoked": true})
	case s.query && r.URL.Path == "/v3/keys" && r.Method == http.MethodDelete:
		if s.guarded && !caller {
			refuse()
			return
		}
		delete(s.live, r.URL.Query().Get("key"))
		writeJSON(w, map[string]any{"revoked": true})
	case r.URL.Path == "/v3/reports" && r.Method == http.MethodGet:
		if !caller {
			refuse()
			return
		}
		writeJSON(w, map[string]any{"reports": []string{"q1", "q2"}})
	default:
		http.NotFound(w, r)
	}
}

// TestRevocationOpenToAnyone: a write whose object is a credential named
// in its body (not its path) is missing authentication when, sent
// without credentials naming a key the scan minted itself, it revokes
// that key (keymint-fastapi's DELETE /api/keys?key= was the query-string
// member; this is a body field, another header and path). The twin
// refuses the anonymous revocation, and the minted key keeps working.
//
// The query shape (DELETE /v3/keys?key=, a route naming no object in its
// path) is sent without credentials too: the write guard takes the minted
// key for the scan's own object, not for a write to the sender's record.
func TestRevocationOpenToAnyone(t *testing.T) {
	for _, c := range []struct{ guarded, query bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		guarded := c.guarded
		desk := &keyDesk{guarded: guarded, query: c.query, live: map[string]bool{"kd_alice_5b1e0c9d7a3f": true, "kd_bob_e4c2a8f61d09": true}}
		revoke := "POST /v3/keys/revoke"
		if c.query {
			revoke = "DELETE /v3/keys"
		}
		u, client, inv := serveFixture(t, desk, httpx.Options{Timeout: 2 * time.Second, Retries: 1}, "GET /v3/reports", "POST /v3/keys/issue", revoke)
		for i := range inv.Endpoints {
			if inv.Endpoints[i].Key() == "DELETE /v3/keys" {
				inv.Endpoints[i].Params = append(inv.Endpoints[i].Params, inventory.Param{Name: "key", In: "query", Type: "string", Required: true})
			}
		}
		ids := []*identity.Identity{
			{Name: "alice", Base: identity.Creds{Headers: map[string]string{"X-Api-Key": "kd_alice_5b1e0c9d7a3f"}}},
			{Name: "bob", Base: identity.Creds{Headers: map[string]string{"X-Api-Key": "kd_bob_e4c2a8f61d09"}}},
		}
		out := runComplete(t, Options{Target: u, Client: client, Inventory: inv, Identities: ids, AllowWrites: true,
			Settings: probe.Settings{BruteforceAttempts: 12, SourceBodies: map[string]probe.SourceBody{
				"POST /v3/keys/revoke": {Value: map[string]any{"api_key": ""}, Where: "desk.py:40"}}}})
		got := false
		for _, f := range out.Findings {
			if f.Rule != "authz.missing-authentication" || f.Endpoint == nil || f.Endpoint.String() != revoke {
				continue
			}
			got = f.Severity != "low" && f.Evidence != nil
			if f.Evidence != nil && regexp.MustCompile(`kd_[0-9a-f]{24}`).MatchString(f.Evidence.Curl) {
				t.Errorf("guarded=%v query=%v: the minted key is printed: %s", guarded, c.query, f.Evidence.Curl)
			}
		}
		if got == guarded {
			for _, f := range out.Findings {
				t.Logf("guarded=%v: %s %s %s: %s", guarded, f.Rule, f.Severity, f.Endpoint, f.Message)
			}
			t.Errorf("guarded=%v query=%v: open revocation reported %v", guarded, c.query, got)
		}
		if desk.live["kd_alice_5b1e0c9d7a3f"] == false || desk.live["kd_bob_e4c2a8f61d09"] == false {
			t.Errorf("guarded=%v: an identity's own key was revoked", guarded)
		}
	}
}
