package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// writesOnlyAPI serves its reads to anyone and guards only DELETE
// /places/{uid} with the scheme word scheme and the key; an id other than
// "1" is not found past the gate. Every DELETE that gets past the gate is
// recorded, so that a test sees no real record was addressed.
func writesOnlyAPI(scheme string, deleted *[]string, mu *sync.Mutex) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			_, _ = w.Write([]byte(`[{"uid": 1, "name": "a place"}]`))
			return
		}
		if r.Method != http.MethodDelete || !strings.HasPrefix(r.URL.Path, "/places/") {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Authorization") != scheme+" TopSecretKey" {
			w.Header().Set("WWW-Authenticate", scheme+` realm="Authentication Required"`)
			http.Error(w, "Unauthorized Access", http.StatusUnauthorized)
			return
		}
		mu.Lock()
		*deleted = append(*deleted, r.URL.Path)
		mu.Unlock()
		if r.URL.Path != "/places/1" {
			http.Error(w, `{"error": "not found"}`, http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

func inferWrites(t *testing.T, h http.Handler, id *identity.Identity, writes bool) []string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}})
	if err != nil {
		t.Fatal(err)
	}
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{
		{Method: "GET", Path: "/places/"}, {Method: "GET", Path: "/places/{uid}"}, {Method: "DELETE", Path: "/places/{uid}"}}}
	return Infer(context.Background(), Options{Client: client, Session: &identity.Session{Client: client, Target: u},
		Inventory: inv, Identities: []*identity.Identity{id}, Writes: writes})
}

// TestInferFromWriteGates: an API that guards only its deletes (reads
// public) has the key's place decided there with --allow-writes — the
// refusal's WWW-Authenticate names the scheme, the key gets past it to a
// made-up id's 404 — for a key without a place (Bearer) and a second
// shape, another scheme word; no real record is addressed; without
// --allow-writes no DELETE is sent and the default stays unconfirmed.
func TestInferFromWriteGates(t *testing.T) {
	t.Parallel()
	for _, scheme := range []string{"Bearer", "Token"} {
		var deleted []string
		var mu sync.Mutex
		id := &identity.Identity{Name: "app", Base: identity.Creds{Unplaced: "TopSecretKey"}}
		notes := inferWrites(t, writesOnlyAPI(scheme, &deleted, &mu), id, true)
		req := &httpx.Request{URL: "http://x/", Header: http.Header{}}
		if err := id.Base.Apply(req); err != nil || req.Header.Get("Authorization") != scheme+" TopSecretKey" {
			t.Errorf("%s: key placed as %q, want Authorization %s (notes %q)", scheme, req.Header, scheme, notes)
		}
		if len(notes) != 1 || !strings.Contains(notes[0], "let past the gate of DELETE /places/{uid}") {
			t.Errorf("%s: notes %q, want the write gate named", scheme, notes)
		}
		for _, d := range deleted {
			if d == "/places/1" {
				t.Errorf("%s: a real record was addressed: %v", scheme, deleted)
			}
		}
	}
	var deleted []string
	var mu sync.Mutex
	sent := 0
	h := writesOnlyAPI("Bearer", &deleted, &mu)
	count := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			sent++
		}
		h.ServeHTTP(w, r)
	})
	notes := inferWrites(t, count, &identity.Identity{Name: "app", Base: identity.Creds{Unplaced: "TopSecretKey"}}, false)
	if sent != 0 || len(notes) != 1 || !strings.Contains(notes[0], "not tried") {
		t.Errorf("without --allow-writes: %d DELETEs sent, notes %q", sent, notes)
	}
}
