package leak_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

func fakeJWT(claims map[string]any) string {
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	b, _ := json.Marshal(claims)
	return h + "." + base64.RawURLEncoding.EncodeToString(b) + ".c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"
}

// mintAPI: GET /guest hands anyone a fresh token (nested under
// data.access), the login the identities are configured with; GET /me
// needs one. With leaky, GET /sessions also shows anyone the stored
// token of the administrator.
func mintAPI(leaky bool) http.Handler {
	var n atomic.Int64
	root := fakeJWT(map[string]any{"sub": "root", "role": "admin"})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/guest":
			tok := fakeJWT(map[string]any{"visitor": fmt.Sprint(n.Add(1)), "exp": time.Now().Add(time.Hour).Unix()})
			_ = json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"access": tok, "kind": "guest"}})
		case "/me":
			if len(r.Header.Get("Authorization")) < 20 {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"error":"token required"}`))
				return
			}
			_, _ = w.Write([]byte(`{"visitor":true}`))
		case "/sessions":
			if !leaky {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"error":"token required"}`))
				return
			}
			_ = json.NewEncoder(w).Encode([]map[string]any{{"user": "root", "access_token": root}})
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
}

// TestIssuedTokenIsNoLeak: the token a configured login hands its caller
// (here a GET anyone may call, the token nested in an envelope) is not
// another principal's secret, to anyone or to an identity; a stored
// administrator's token served to anyone still is.
func TestIssuedTokenIsNoLeak(t *testing.T) {
	for _, leaky := range []bool{false, true} {
		srv := httptest.NewServer(mintAPI(leaky))
		u, _ := url.Parse(srv.URL)
		client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		eps, _ := inventory.ParseEndpoints([]string{"GET /guest", "GET /me", "GET /sessions"}, inventory.SourceConfig)
		inv := &inventory.Inventory{}
		inv.Add(eps...)
		var ids []*identity.Identity
		for _, name := range []string{"v1", "v2"} {
			ids = append(ids, &identity.Identity{Name: name, Login: &identity.Login{Method: "GET", URL: "/guest", Token: "data.access"}})
		}
		out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
			Allow: engine.RuleFilter([]string{"leak.sensitive-data"}, nil), Identities: ids})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, f := range out.Findings {
			if f.Rule == "leak.sensitive-data" && f.Endpoint != nil {
				got[f.Endpoint.Path] = string(f.Severity)
			}
		}
		if _, ok := got["/guest"]; ok {
			t.Errorf("leaky=%v: the login's own token reported as a leak: %v", leaky, got)
		}
		if sev, ok := got["/sessions"]; ok != leaky || leaky && sev != "critical" {
			t.Errorf("leaky=%v: the administrator's stored token: %v", leaky, got)
		}
	}
}
