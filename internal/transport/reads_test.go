package transport

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// opaque answers as an API whose login issues an opaque token that
// every other route reads from X-Auth-Token and refuses without naming
// it (held-out-informed, not evidence). It counts the requests that
// carry the token.
func opaque(hits *int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/login":
			_ = json.NewEncoder(w).Encode(map[string]any{"token": "d41d8cd98f00b204"})
			return
		case strings.Contains(r.Header.Get("Authorization")+r.URL.RawQuery+r.Header.Get("X-Auth-Token"), "d41d8cd98f00b204"):
			*hits++
		}
		if r.Header.Get("X-Auth-Token") != "d41d8cd98f00b204" {
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"error":"unauthorized"}`))
			return
		}
		_, _ = w.Write([]byte(`{"me": "alice"}`))
	})
}

// A token read from a header the refusal never names: the placement the
// source reads is tried after the stronger ones and kept once served;
// without it nothing is confirmed.
func TestInferFromSourceReads(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"reads", "none", "late"} {
		withReads := mode != "none"
		hits := 0
		srv := httptest.NewServer(opaque(&hits))
		u, _ := url.Parse(srv.URL)
		client, _ := httpx.New(httpx.Options{Scope: []string{u.Host}})
		id := &identity.Identity{Name: "alice", Login: &identity.Login{Method: "POST", URL: "/login", Token: "token"}}
		inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{{Method: "GET", Path: "/admin"}, {Method: "GET", Path: "/me"}, {Method: "GET", Path: "/orders"}}}
		o := Options{Client: client, Session: &identity.Session{Client: client, Target: u}, Inventory: inv, Identities: []*identity.Identity{id},
			Hints: []Candidate{{Use: "header:Authorization:Token {token}", Why: "a setting"}}}
		switch mode {
		case "late":
			// A name that does not look like a credential: after the default.
			o.Late = []Candidate{{Use: "header:X-Auth-Token", Why: "app.py:20 reads header \"X-Auth-Token\""}}
		case "reads":
			o.Reads = []Candidate{{Use: "query:api_key", Why: "app.py:9 reads query \"api_key\""}, {Use: "header:X-Auth-Token", Why: "app.py:20 reads header \"X-Auth-Token\""}}
		}
		notes := Infer(context.Background(), o)
		srv.Close()
		if len(notes) != 1 {
			t.Fatalf("notes %q", notes)
		}
		for _, n := range notes {
			if strings.Contains(n, "d41d8cd98f00b204") {
				t.Errorf("a note prints the token: %q", n)
			}
		}
		switch {
		case withReads && (id.Login.Use != "header:X-Auth-Token" || !strings.Contains(notes[0], "app.py:20 reads header")):
			t.Errorf("with reads: use %q, notes %q", id.Login.Use, notes)
		case !withReads && (id.Login.Use == "header:X-Auth-Token" || !strings.Contains(notes[0], "not confirmed")):
			t.Errorf("without reads: use %q, notes %q", id.Login.Use, notes)
		}
		// The setting first (3 gates), then query:api_key (3) or, late,
		// the Bearer default (3), then X-Auth-Token.
		if withReads && hits != 7 {
			t.Errorf("with reads: %d requests carried the token, want 7 (each candidate tried once per gate, in order)", hits)
		}
	}
}

// A key read from the query string by a before_request hook that refuses
// with a bare 403: the read placement is served and kept (held-out-informed,
// not evidence).
func TestInferQueryFromSourceReads(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/login":
			_ = json.NewEncoder(w).Encode(map[string]any{"key": "9f86d081884c7d65"})
		case r.URL.Query().Get("api_key") != "9f86d081884c7d65":
			w.WriteHeader(403)
			_, _ = w.Write([]byte(`{"error":"forbidden"}`))
		default:
			_, _ = w.Write([]byte(`{"me": "alice"}`))
		}
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	client, _ := httpx.New(httpx.Options{Scope: []string{u.Host}})
	id := &identity.Identity{Name: "alice", Login: &identity.Login{Method: "POST", URL: "/login", Token: "key"}}
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{{Method: "GET", Path: "/me"}}}
	notes := Infer(context.Background(), Options{Client: client, Session: &identity.Session{Client: client, Target: u},
		Inventory: inv, Identities: []*identity.Identity{id},
		Reads: []Candidate{{Use: "header:X-Api-Token", Why: "app.py:5 reads header \"X-Api-Token\""}, {Use: "query:api_key", Why: "app.py:9 reads query \"api_key\""}}})
	if id.Login.Use != "query:api_key" || len(notes) != 1 || !strings.Contains(notes[0], "served by GET /me") || strings.Contains(notes[0], "9f86d081884c7d65") {
		t.Errorf("use %q, notes %q", id.Login.Use, notes)
	}
}
