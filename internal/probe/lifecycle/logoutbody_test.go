package lifecycle_test

import (
	"context"
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

// jsonLogoutAPI's logout reads a JSON body (415 without one, as Flask's
// get_json does). mode "crash": it fails (500) before revoking anything;
// "revoke-crash": it revokes, then fails; "ok": it revokes and answers 200.
func jsonLogoutAPI(mode string) http.Handler {
	var mu sync.Mutex
	revoked, n := map[string]bool{}, 0
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		t := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		valid := strings.HasPrefix(t, "tok-") && !revoked[t]
		switch r.Method + " " + r.URL.Path {
		case "POST /api/account/sign-in":
			n++
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"data":{"token":"tok-` + strings.Repeat("x", 20) + string(rune('a'+n%26)) + `"}}`))
		case "GET /api/account":
			if !valid {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_, _ = w.Write([]byte(`{"user":"carol"}`))
		case "POST /api/account/sign-out":
			if !valid {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
				w.WriteHeader(http.StatusUnsupportedMediaType)
				return
			}
			if mode != "crash" {
				revoked[t] = true
			}
			if mode == "ok" {
				_, _ = w.Write([]byte(`{"ok":true}`))
				return
			}
			w.WriteHeader(http.StatusInternalServerError)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
}

// TestLogoutWithJSONBody: a logout refused without a body is sent an
// empty JSON one; one that then fails on the server without revoking is a
// finding, one that revokes (and answers 200 or 500) is not.
func TestLogoutWithJSONBody(t *testing.T) {
	for _, mode := range []string{"crash", "revoke-crash", "ok"} {
		srv := httptest.NewServer(jsonLogoutAPI(mode))
		u, _ := url.Parse(srv.URL)
		client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		eps, _ := inventory.ParseEndpoints([]string{"POST /api/account/sign-in", "GET /api/account", "POST /api/account/sign-out"}, inventory.SourceConfig)
		inv := &inventory.Inventory{}
		inv.Add(eps...)
		out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
			AllowWrites: true, Allow: engine.RuleFilter([]string{"session.logout"}, nil),
			Identities: []*identity.Identity{{Name: "carol",
				Login: &identity.Login{Method: "POST", URL: "/api/account/sign-in", Token: "data.token",
					JSON: identity.Body{"email": "carol@example.com", "password": "carol-pw"}}}}})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range out.Findings {
			if f.Rule == "session.logout-not-revoked" && f.Endpoint != nil {
				got = append(got, f.Endpoint.String()+" "+string(f.Confidence))
			}
		}
		want := ""
		if mode == "crash" {
			want = "POST /api/account/sign-out firm"
		}
		if strings.Join(got, "|") != want {
			t.Errorf("%s: findings %q, want %q; notes %q", mode, got, want, out.Notes)
		}
	}
}
