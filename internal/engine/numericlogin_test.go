package engine

import (
	"encoding/base64"
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

// memberDesk logs members in at POST /v1/session with a numeric memberId
// ({"memberId": 1007}) and answers {"access": <JWT naming memberId>};
// GET /v1/card serves the token's member (401 otherwise). mode "known":
// any known member's number alone gets its token; "any": every number
// does; "pinned": the login also takes a PIN and checks it.
type memberDesk struct {
	mode string
	mu   sync.Mutex
	live map[string]float64
}

var deskPins = map[float64]string{1007: "4821", 1008: "9350"}

func (s *memberDesk) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.URL.Path == "/v1/session" && r.Method == http.MethodPost:
		var b map[string]any
		_ = json.NewDecoder(r.Body).Decode(&b)
		id, _ := b["memberId"].(float64)
		_, known := deskPins[id]
		ok := id > 0 && (s.mode == "any" || known) && (s.mode != "pinned" || b["pin"] == deskPins[id])
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			writeJSON(w, map[string]any{"error": "unknown member"})
			return
		}
		claims, _ := json.Marshal(map[string]any{"memberId": id, "n": len(s.live)})
		tok := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + base64.RawURLEncoding.EncodeToString(claims) + ".c2lnbmF0dXJlLW5vdC1jaGVja2Vk"
		s.live[tok] = id
		writeJSON(w, map[string]any{"access": tok})
	case r.URL.Path == "/v1/card" && r.Method == http.MethodGet:
		id, ok := s.live[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			writeJSON(w, map[string]any{"error": "unauthorized"})
			return
		}
		writeJSON(w, map[string]any{"memberId": id, "tier": "gold"})
	default:
		http.NotFound(w, r)
	}
}

// TestNumericIdLogin: a login whose body names the caller by a number and
// holds no secret ({"memberId": 1007}) is client-controlled identity when
// another member's number alone is issued that member's token
// (userid-jwt's {"userId": 1} was the member found; this one has another
// field, path and token field, and a refusing variant); a login that also
// checks a PIN yields nothing.
func TestNumericIdLogin(t *testing.T) {
	for _, c := range []struct {
		mode string
		want bool
	}{{"known", true}, {"any", true}, {"pinned", false}} {
		u, client, inv := serveFixture(t, &memberDesk{mode: c.mode, live: map[string]float64{}}, httpx.Options{Timeout: 2 * time.Second, Retries: 1}, "GET /v1/card", "POST /v1/session")
		login := func(id float64) *identity.Login {
			b := identity.Body{"memberId": id}
			if c.mode == "pinned" {
				b["pin"] = deskPins[id]
			}
			return &identity.Login{URL: "/v1/session", JSON: b, Token: "access"}
		}
		ids := []*identity.Identity{{Name: "ann", Login: login(1007)}, {Name: "ben", Login: login(1008)}}
		out := runComplete(t, Options{Target: u, Client: client, Inventory: inv, Identities: ids,
			Settings: probe.Settings{BruteforceAttempts: 12}})
		got := false
		for _, f := range out.Findings {
			if f.Rule == "authn.client-controlled-identity" && f.Endpoint != nil && f.Endpoint.Path == "/v1/session" {
				got = true
				if c.mode == "any" && !strings.Contains(f.Message, "any name") {
					t.Errorf("%s: should say the login mints for any number: %s", c.mode, f.Message)
				}
			}
		}
		if got != c.want {
			for _, f := range out.Findings {
				t.Logf("%s: %s %s: %s", c.mode, f.Rule, f.Endpoint, f.Message)
			}
			t.Errorf("%s: numeric-id login reported %v, want %v", c.mode, got, c.want)
		}
	}
}
