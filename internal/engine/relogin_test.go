package engine

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/jose"
)

// TestShortLivedTokenReused: a token that expires within seconds (or looks
// expired through clock skew) must not make every request log in again.
func TestShortLivedTokenReused(t *testing.T) {
	s, err := jose.HMAC("HS256", []byte("a-strong-secret-of-32-bytes-long!!"))
	if err != nil {
		t.Fatal(err)
	}
	var logins atomic.Int64
	var current atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			logins.Add(1)
			now := time.Now().Unix()
			// Expired already by our clock: the server's runs behind.
			tok, _ := jose.Sign([]byte(`{"alg":"HS256","typ":"JWT"}`), []byte(`{"sub":"alice","iat":`+strconv.FormatInt(now-60, 10)+`,"exp":`+strconv.FormatInt(now-5, 10)+`}`), s)
			current.Store(tok)
			json.NewEncoder(w).Encode(map[string]string{"token": tok})
			return
		}
		if tok, _ := current.Load().(string); tok == "" || r.Header.Get("Authorization") != "Bearer "+tok {
			http.Error(w, `{"error":"unauthorized"}`, 401)
			return
		}
		w.Write([]byte(`{"user":"alice"}`))
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var eps []inventory.Endpoint
	for _, line := range []string{"GET /api/me", "GET /api/items", "GET /api/orders"} {
		ep, _ := inventory.ParseEndpoint(line)
		eps = append(eps, ep)
	}
	id := &identity.Identity{Name: "alice", Login: &identity.Login{Method: "POST", URL: "/login", JSON: map[string]any{"username": "alice", "password": "alice-pw"}, Token: "token"}}
	checks, err := Select(Registry(), []string{"jwt"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := Run(ctx, Options{Target: u, Client: client, Inventory: &inventory.Inventory{Endpoints: eps},
		Identities: []*identity.Identity{id}, Checks: checks}); err != nil {
		t.Fatal(err)
	}
	// One login, plus at most one per ReloginFloor of scan time.
	if n := logins.Load(); n > 3 {
		t.Fatalf("%d logins for 3 endpoints", n)
	}
}
