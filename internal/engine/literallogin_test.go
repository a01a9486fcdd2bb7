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

// ledgerAPI logs in at POST /v2/auth (JSON username/password, a random
// access_token back, 401 otherwise); its only gated endpoint is a write
// (POST /v2/entries), so no gated read can show a credential at work.
// mode "literal": the login also accepts the pair its code compares with
// (ops / Ledger#2024); "anyone": it issues a token to any password;
// "stored": the literal pair is not an account (refused).
type ledgerAPI struct {
	mode string
	mu   sync.Mutex
	live map[string]bool
}

func (s *ledgerAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.URL.Path == "/v2/auth" && r.Method == http.MethodPost:
		var b map[string]string
		_ = json.NewDecoder(r.Body).Decode(&b)
		ok := b["username"] == "alice" && b["password"] == "alice-pw-77" ||
			s.mode == "literal" && b["username"] == "ops" && b["password"] == "Ledger#2024" ||
			s.mode == "anyone" && b["username"] != "" && b["password"] != ""
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			writeJSON(w, map[string]any{"error": "invalid user name or password"})
			return
		}
		buf := make([]byte, 16)
		_, _ = rand.Read(buf)
		t := hex.EncodeToString(buf)
		s.live[t] = true
		writeJSON(w, map[string]any{"access_token": t})
	case r.URL.Path == "/v2/entries" && r.Method == http.MethodPost:
		if !s.live[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")] {
			w.WriteHeader(http.StatusUnauthorized)
			writeJSON(w, map[string]any{"error": "unauthorized"})
			return
		}
		writeJSON(w, map[string]any{"ok": true})
	case r.URL.Path == "/v2/status" && r.Method == http.MethodGet:
		writeJSON(w, map[string]any{"status": "up"})
	default:
		http.NotFound(w, r)
	}
}

// TestLiteralLoginWithoutGatedRead: a pair a login's code compares with
// (found by internal/source) is reported when the login issues a
// credential for it and refuses the same user with one character of the
// password changed, on an API with no gated read to let the credential
// into (flask-jwt-demo had only a gated POST; this fixture has another
// login path, body and token field). A login that issues tokens for any
// password, or a literal that is no account, yields nothing.
func TestLiteralLoginWithoutGatedRead(t *testing.T) {
	for _, c := range []struct {
		mode string
		want bool
	}{{"literal", true}, {"anyone", false}, {"stored", false}} {
		u, client, inv := serveFixture(t, &ledgerAPI{mode: c.mode, live: map[string]bool{}}, httpx.Options{Timeout: 2 * time.Second, Retries: 1}, "GET /v2/status", "POST /v2/auth", "POST /v2/entries")
		ids := []*identity.Identity{{Name: "alice", Login: &identity.Login{URL: "/v2/auth",
			JSON: identity.Body{"username": "alice", "password": "alice-pw-77"}, Token: "access_token"}}}
		out := runComplete(t, Options{Target: u, Client: client, Inventory: inv, Identities: ids,
			Settings: probe.Settings{BruteforceAttempts: 12, SourceCredentials: []probe.SourceCredential{{
				User: "ops", Password: "Ledger#2024", Where: "ledger/auth.py:31", How: "a login comparing the request with literals",
				File: "ledger/auth.py", Line: 31, Compared: true}}}})
		got := false
		for _, f := range out.Findings {
			if f.Rule != "authn.default-credentials" {
				continue
			}
			got = true
			if f.Endpoint == nil || f.Endpoint.Path != "/v2/auth" || f.Evidence == nil || f.Location == nil || f.Location.Line != 31 {
				t.Errorf("%s: finding should name the login, its evidence and the literal's line: %+v", c.mode, f)
			}
			if f.Evidence != nil && strings.Contains(f.Evidence.Curl, "Ledger#2024") {
				t.Errorf("%s: the literal password is printed: %s", c.mode, f.Evidence.Curl)
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

// TestLiteralLoginNotConfigured: with identities that hold tokens and no
// configured login, the login the source shows (its handler reads a user
// name and a password) is where the code's pair is tried (with
// --allow-writes): a pair that logs in is reported, its token read from
// the answer; the twin whose literal is no account yields nothing.
func TestLiteralLoginNotConfigured(t *testing.T) {
	for _, c := range []struct {
		mode string
		want bool
	}{{"literal", true}, {"stored", false}} {
		api := &ledgerAPI{mode: c.mode, live: map[string]bool{"lt_alice_0c4f9e2a7d31b8": true}}
		u, client, inv := serveFixture(t, api, httpx.Options{Timeout: 2 * time.Second, Retries: 1}, "GET /v2/status", "POST /v2/auth", "POST /v2/entries")
		ids := []*identity.Identity{{Name: "alice", Base: identity.Creds{Bearer: "lt_alice_0c4f9e2a7d31b8"}}}
		out := runComplete(t, Options{Target: u, Client: client, Inventory: inv, Identities: ids, AllowWrites: true,
			Settings: probe.Settings{BruteforceAttempts: 12,
				SourceBodies: map[string]probe.SourceBody{"POST /v2/auth": {Value: map[string]any{"username": "", "password": ""}, Where: "ledger/auth.py:25"}},
				SourceCredentials: []probe.SourceCredential{{
					User: "ops", Password: "Ledger#2024", Where: "ledger/auth.py:31", How: "a login comparing the request with literals",
					File: "ledger/auth.py", Line: 31, Compared: true}}}})
		got := false
		for _, f := range out.Findings {
			if f.Rule == "authn.default-credentials" && f.Endpoint != nil && f.Endpoint.Path == "/v2/auth" {
				got = true
			}
		}
		if got != c.want {
			for _, f := range out.Findings {
				t.Logf("%s: %s %s: %s", c.mode, f.Rule, f.Endpoint, f.Message)
			}
			t.Errorf("%s: default credentials on an unconfigured login reported %v, want %v", c.mode, got, c.want)
		}
	}
}
