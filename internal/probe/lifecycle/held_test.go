package lifecycle_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// throttledLoginAPI answers one login (an access and a refresh token) and
// 429 without Retry-After to every later one, as a login limited to a few
// a minute does once the scan's own logins spent it. lax: logout revokes
// nothing and GET /me takes a refresh token too.
func throttledLoginAPI(lax bool) http.Handler {
	var mu sync.Mutex
	kind, revoked, logins := map[string]string{}, map[string]bool{}, 0
	mint := func(k string) string {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		t := hex.EncodeToString(b)
		kind[t] = k
		return t
	}
	bearer := func(r *http.Request) string { return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") }
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		t := bearer(r)
		ok := kind[t] == "access" && !revoked[t] || lax && kind[t] == "refresh"
		switch r.Method + " " + r.URL.Path {
		case "POST /auth/signin":
			if logins++; logins > 1 {
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = w.Write([]byte(`{"error":"rate limit exceeded: 1 per 1 minute"}`))
				return
			}
			_ = json.NewEncoder(w).Encode(map[string]string{"jwt": mint("access"), "refresh_token": mint("refresh")})
		case "GET /me":
			if !ok {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"error":"token required"}`))
				return
			}
			_, _ = w.Write([]byte(`{"name":"tossy"}`))
		case "POST /auth/signout":
			if kind[t] != "access" || revoked[t] {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			if !lax {
				revoked[t] = true
			}
			_, _ = w.Write([]byte(`{"ok":true}`))
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
}

// TestThrottledLoginStillTested: with the one login spent, the logout and
// refresh checks work on the token the throwaway identity holds.
func TestThrottledLoginStillTested(t *testing.T) {
	for _, lax := range []bool{true, false} {
		srv := httptest.NewServer(throttledLoginAPI(lax))
		u, _ := url.Parse(srv.URL)
		client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		eps, _ := inventory.ParseEndpoints([]string{"POST /auth/signin", "GET /me", "POST /auth/signout"}, inventory.SourceConfig)
		inv := &inventory.Inventory{}
		inv.Add(eps...)
		out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
			AllowWrites: true, Allow: engine.RuleFilter([]string{"session.logout", "session.refresh"}, nil),
			Identities: []*identity.Identity{{Name: "tossy", Throwaway: true,
				Login: &identity.Login{Method: "POST", URL: "/auth/signin", Token: "jwt",
					JSON: identity.Body{"username": "tossy", "password": "tossy-pw"}}}}})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		var rules []string
		for _, f := range out.Findings {
			if strings.HasPrefix(f.Rule, "session.") && f.Endpoint != nil {
				rules = append(rules, f.Rule+" "+f.Endpoint.String())
			}
		}
		got := strings.Join(rules, "|")
		switch {
		case lax && (!strings.Contains(got, "session.logout-not-revoked POST /auth/signout") || !strings.Contains(got, "session.refresh-as-access GET /me")):
			t.Errorf("lax: findings %q; notes %q", rules, out.Notes)
		case !lax && len(rules) != 0:
			t.Errorf("strict: findings %q", rules)
		}
	}
}
