package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// bodyOnlyAPI has no GET and no DELETE gate: only method on path, guarded
// by the key in header (put as it is), then refusing a missing body with
// bodyStatus. Writes counts the requests let past the gate with a body.
func bodyOnlyAPI(method, header, key string, bodyStatus int, writes, sent *int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			http.NotFound(w, r)
			return
		}
		atomic.AddInt32(sent, 1)
		if r.Header.Get(header) != key {
			http.Error(w, `{"error": "unauthorized"}`, http.StatusUnauthorized)
			return
		}
		if r.ContentLength <= 0 {
			http.Error(w, `{"error": "a JSON body is required"}`, bodyStatus)
			return
		}
		atomic.AddInt32(writes, 1)
		w.WriteHeader(http.StatusCreated)
	})
}

func inferBodyless(t *testing.T, h http.Handler, ep inventory.Endpoint, writes bool) (*identity.Identity, []string) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}})
	if err != nil {
		t.Fatal(err)
	}
	id := &identity.Identity{Name: "svc", Base: identity.Creds{Unplaced: "k-7781"}}
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{ep}}
	notes := Infer(context.Background(), Options{Client: client, Session: &identity.Session{Client: client, Target: u},
		Inventory: inv, Identities: []*identity.Identity{id}, Writes: writes})
	return id, notes
}

// TestInferFromBodylessWrites: an API whose only gated routes take a body
// (a log collector's POST, a device's PUT by id) has the key's place
// decided there with --allow-writes: sent without a body, the key gets
// past the 401 to the body's refusal (400 for a bare key in
// Authorization, 422 for X-API-Key on a path with a made-up id); nothing
// is written. Without --allow-writes nothing is sent; a key no placement
// gets past stays unconfirmed.
func TestInferFromBodylessWrites(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, method, path, header, want string
		status                           int
	}{
		{"bare key in Authorization", "POST", "/logs", "Authorization", "let past the gate of POST /logs (400 for an empty body, anonymous 401)", 400},
		{"X-API-Key on a PUT by id", "PUT", "/devices/{id}", "X-API-Key", "let past the gate of PUT /devices/{id} (422 for an empty body, anonymous 401)", 422},
	}
	for _, c := range cases {
		var writes, sent int32
		id, notes := inferBodyless(t, bodyOnlyAPI(c.method, c.header, "k-7781", c.status, &writes, &sent),
			inventory.Endpoint{Method: c.method, Path: c.path}, true)
		req := &httpx.Request{URL: "http://x/", Header: http.Header{}}
		if err := id.Base.Apply(req); err != nil || req.Header.Get(c.header) != "k-7781" {
			t.Errorf("%s: key placed as %q (notes %q)", c.name, req.Header, notes)
		}
		if len(notes) != 1 || !strings.Contains(notes[0], c.want) {
			t.Errorf("%s: notes %q, want %q", c.name, notes, c.want)
		}
		if writes != 0 {
			t.Errorf("%s: %d writes got past the gate with a body", c.name, writes)
		}
	}
	var writes, sent int32
	_, notes := inferBodyless(t, bodyOnlyAPI("POST", "Authorization", "k-7781", 400, &writes, &sent),
		inventory.Endpoint{Method: "POST", Path: "/logs"}, false)
	if sent != 0 || len(notes) != 1 || !strings.Contains(notes[0], "not tried") {
		t.Errorf("without --allow-writes: %d requests sent, notes %q", sent, notes)
	}
	// The key is not one the API takes: every placement is refused.
	_, notes = inferBodyless(t, bodyOnlyAPI("POST", "Authorization", "another", 400, &writes, &sent),
		inventory.Endpoint{Method: "POST", Path: "/logs"}, true)
	if len(notes) != 1 || !strings.Contains(notes[0], "not confirmed") {
		t.Errorf("a key nothing takes: notes %q, want not confirmed", notes)
	}
}
