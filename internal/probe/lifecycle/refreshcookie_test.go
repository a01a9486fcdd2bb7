package lifecycle_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// cookieRefreshAPI logs in by setting an access and a refresh cookie
// (JWT-shaped, "type" in the payload); GET /me wants an access token in
// access_token, POST /auth/refresh a refresh token in refresh_token and
// sets a new access cookie. lax: each takes either type.
func cookieRefreshAPI(lax bool, n *atomic.Int64) http.Handler {
	tok := func(typ string) string {
		i := n.Add(1)
		p := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"1","type":"` + typ + `","n":` + string(rune('0'+i%10)) + `}`))
		return "eyJhbGciOiJIUzI1NiJ9." + p + ".c2lnbmF0dXJlc2lnbmF0dXJl"
	}
	typeOf := func(v string) string {
		parts := strings.Split(v, ".")
		if len(parts) != 3 || parts[2] != "c2lnbmF0dXJlc2lnbmF0dXJl" {
			return ""
		}
		b, _ := base64.RawURLEncoding.DecodeString(parts[1])
		switch {
		case strings.Contains(string(b), `"access"`):
			return "access"
		case strings.Contains(string(b), `"refresh"`):
			return "refresh"
		}
		return ""
	}
	want := func(r *http.Request, cookie, typ string) bool {
		c, err := r.Cookie(cookie)
		if err != nil {
			return false
		}
		got := typeOf(c.Value)
		return got == typ || lax && got != ""
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/auth/login":
			http.SetCookie(w, &http.Cookie{Name: "access_token", Value: tok("access"), Path: "/"})
			http.SetCookie(w, &http.Cookie{Name: "refresh_token", Value: tok("refresh"), Path: "/"})
			_, _ = w.Write([]byte(`{"message": "Login successful"}`))
		case "/me":
			if !want(r, "access_token", "access") {
				w.WriteHeader(401)
				_, _ = w.Write([]byte(`{"msg": "Missing cookie \"access_token\""}`))
				return
			}
			_, _ = w.Write([]byte(`{"id": 1, "email": "a@example.com"}`))
		case "/auth/refresh":
			if !want(r, "refresh_token", "refresh") {
				w.WriteHeader(401)
				return
			}
			http.SetCookie(w, &http.Cookie{Name: "access_token", Value: tok("access"), Path: "/"})
			_, _ = w.Write([]byte(`{"message": "Refreshed"}`))
		default:
			w.WriteHeader(404)
		}
	})
}

// TestRefreshInCookies: a login whose tokens are cookies: the refresh
// cookie opening /me as the access cookie, and the access token taken by
// the refresh request in the refresh cookie's place, are found; an API
// that tells the types apart yields nothing, and its refresh request is
// still exercised with the refresh cookie (a 2xx).
func TestRefreshInCookies(t *testing.T) {
	for _, lax := range []bool{true, false} {
		var n atomic.Int64
		var refreshed atomic.Int64
		api := cookieRefreshAPI(lax, &n)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			api.ServeHTTP(rec, r)
			if r.URL.Path == "/auth/refresh" && rec.Code == 200 {
				refreshed.Add(1)
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
		}))
		u, _ := url.Parse(srv.URL)
		client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		eps, _ := inventory.ParseEndpoints([]string{"POST /auth/login", "GET /me", "POST /auth/refresh"}, inventory.SourceConfig)
		inv := &inventory.Inventory{}
		inv.Add(eps...)
		out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
			AllowWrites: true, Allow: engine.RuleFilter([]string{"session.refresh"}, nil),
			Identities: []*identity.Identity{{Name: "alice", Throwaway: true,
				Login: &identity.Login{Method: "POST", URL: "/auth/login", JSON: identity.Body{"email": "a@example.com", "password": "pw"}}}}})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		var rules []string
		for _, f := range out.Findings {
			ep := ""
			if f.Endpoint != nil {
				ep = f.Endpoint.String()
			}
			if strings.HasPrefix(f.Rule, "session.refresh-as-access") || strings.HasPrefix(f.Rule, "session.access-at-refresh") {
				rules = append(rules, f.Rule+" "+ep)
			}
		}
		got := strings.Join(rules, "|")
		switch {
		case lax && (!strings.Contains(got, "session.refresh-as-access GET /me") || !strings.Contains(got, "session.access-at-refresh POST /auth/refresh")):
			t.Errorf("lax: findings %q; notes %q", rules, out.Notes)
		case !lax && len(rules) != 0:
			t.Errorf("strict: findings %q", rules)
		case refreshed.Load() == 0:
			t.Errorf("lax %v: the refresh request never answered 2xx; notes %q", lax, out.Notes)
		}
	}
}
