package engine

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
)

// envelopeVault says no with HTTP 200 {"success": false, ...}. Its login
// (POST /v4/login) hands a token to any user name and password, but only
// tokens of a real pair open GET /v4/secrets. mode "literal": the pair the
// code compares with (svc / Vault!2024) is real; "decoy": it is not, and
// its token is refused with the 200 envelope like any other.
type envelopeVault struct {
	mode string
	mu   sync.Mutex
	live map[string]bool
}

func (s *envelopeVault) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.URL.Path == "/v4/login" && r.Method == http.MethodPost:
		var b map[string]string
		_ = json.NewDecoder(r.Body).Decode(&b)
		real := b["username"] == "alice" && b["password"] == "alice-pw-91" ||
			s.mode == "literal" && b["username"] == "svc" && b["password"] == "Vault!2024"
		buf := make([]byte, 16)
		_, _ = rand.Read(buf)
		t := hex.EncodeToString(buf)
		s.live[t] = real
		writeJSON(w, map[string]any{"token": t})
	case r.URL.Path == "/v4/secrets" && r.Method == http.MethodGet:
		if !s.live[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")] {
			writeJSON(w, map[string]any{"success": false, "error": "Invalid or missing token."})
			return
		}
		writeJSON(w, map[string]any{"success": true, "secrets": []map[string]any{{"name": "db", "value": "s-1"}, {"name": "smtp", "value": "s-2"}}})
	default:
		http.NotFound(w, r)
	}
}

// TestLiteralLoginEnvelopeRefusals: the code's pair is proven where its
// credential is let into a gated read, judged by that read's calibrated
// verdict — here a 200 envelope refuses — not by 401/403 against a 2xx.
// The login issues tokens to anyone, so only the read can prove the pair:
// the decoy twin's token, refused with a 200 envelope, yields nothing.
func TestLiteralLoginEnvelopeRefusals(t *testing.T) {
	for _, c := range []struct {
		mode string
		want bool
	}{{"literal", true}, {"decoy", false}} {
		u, client, inv := serveFixture(t, &envelopeVault{mode: c.mode, live: map[string]bool{}}, httpx.Options{Timeout: 2 * time.Second, Retries: 1}, "GET /v4/secrets", "POST /v4/login")
		ids := []*identity.Identity{{Name: "alice", Login: &identity.Login{URL: "/v4/login",
			JSON: identity.Body{"username": "alice", "password": "alice-pw-91"}, Token: "token"}}}
		out := runComplete(t, Options{Target: u, Client: client, Inventory: inv, Identities: ids,
			Settings: probe.Settings{BruteforceAttempts: 12, SourceCredentials: []probe.SourceCredential{{
				User: "svc", Password: "Vault!2024", Where: "vault/auth.py:12", How: "a login comparing the request with literals",
				File: "vault/auth.py", Line: 12, Compared: true}}}})
		got := false
		for _, f := range out.Findings {
			if f.Rule == "authn.default-credentials" {
				got = true
				if f.Confidence != "confirmed" || f.Evidence == nil || !strings.Contains(f.Evidence.Request, "/v4/secrets") {
					t.Errorf("%s: the proof should be the read the credential was let into: %+v", c.mode, f)
				}
			}
		}
		if got != c.want {
			for _, f := range out.Findings {
				t.Logf("%s: %s %s: %s", c.mode, f.Rule, f.Endpoint, f.Message)
			}
			t.Errorf("%s: default credentials reported %v, want %v", c.mode, got, c.want)
		}
	}
}
