package writes_test

import (
	"context"
	"encoding/json"
	"fmt"
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
	"github.com/authprobe/authprobe/internal/probe/writes"
)

// runWrites runs the write phase alone against h with one bearer identity.
func runWrites(t *testing.T, h http.Handler, routes []string, bodies map[string]inventory.Body) *engine.Outcome {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	eps, _ := inventory.ParseEndpoints(routes, inventory.SourceConfig)
	inv := &inventory.Inventory{Bodies: bodies}
	inv.Add(eps...)
	out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Inventory: inv, Checks: writes.Checks(),
		AllowWrites: true, Allow: engine.RuleFilter([]string{"authz.writes"}, nil),
		Identities: []*identity.Identity{{Name: "alice", Base: identity.Creds{Bearer: "t0k3n-alice"}}}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// keyMint is the FastAPI key service's shape: POST /api/keys answers the
// new key as a bare JSON string; DELETE /api/keys takes it in a key query
// parameter (param: "key", or "key_id" in another shape), and answers 422
// (pydantic's loc ["query", param]) without.
func keyMint(param string, keys map[string]bool, deleted *[]string, mu *sync.Mutex) http.Handler {
	n := 0
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch r.Method + " " + r.URL.Path {
		case "POST /api/keys":
			n++
			k := fmt.Sprintf("mK3y-%08d-Qz", n)
			keys[k] = true
			_ = json.NewEncoder(w).Encode(k)
		case "DELETE /api/keys":
			k := r.URL.Query().Get(param)
			if k == "" {
				w.WriteHeader(http.StatusUnprocessableEntity)
				_, _ = w.Write([]byte(`{"detail":[{"loc":["query","` + param + `"],"msg":"field required","type":"value_error.missing"}]}`))
				return
			}
			if keys[k] {
				*deleted = append(*deleted, k)
			}
			delete(keys, k)
			_, _ = w.Write([]byte(`{"message":"Key succesfully deleted"}`))
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
}

// TestCleanupLearnsQueryParameter: the cleanup's DELETE on a route
// without a path parameter names the object in the query from the first
// request (?key=, the collection in the singular: sent bare, the write
// guard keeps it back as a write to the sender's own record); answered 422
// for another missing query parameter (?key_id=), it is sent again with
// it, the object's own value (the minted key). Either way the key the
// phase minted is deleted, and it is never printed in the notes.
func TestCleanupLearnsQueryParameter(t *testing.T) {
	for _, param := range []string{"key", "key_id"} {
		keys, mu := map[string]bool{}, &sync.Mutex{}
		var deleted []string
		out := runWrites(t, keyMint(param, keys, &deleted, mu), []string{"POST /api/keys", "DELETE /api/keys"}, nil)
		mu.Lock()
		if len(deleted) != 1 {
			t.Errorf("?%s: minted keys deleted: %v (left %v); notes %q", param, deleted, keys, out.Notes)
		}
		mu.Unlock()
		joined := strings.Join(out.Notes, "\n")
		learnt := strings.Contains(joined, "DELETE /api/keys answered 422; retried with ?key_id")
		if learnt != (param == "key_id") || strings.Contains(joined, "mK3y-") {
			t.Errorf("?%s: notes %q", param, out.Notes)
		}
	}
}

// hooks is a webargs-shaped API of another form: items on
// /v1/webhooks/{hook_id}, and a DELETE that wants a confirm query
// parameter ({"errors": {"query": {"confirm": [...]}}}) which names no
// object: it is sent a made-up value, the id stays in the path.
func hooks(live map[string]bool, deleted *int, mu *sync.Mutex) http.Handler {
	n := 0
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		id := strings.TrimPrefix(r.URL.Path, "/v1/webhooks/")
		if r.Header.Get("Authorization") != "Bearer t0k3n-alice" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch {
		case r.Method == "GET" && r.URL.Path == "/v1/me":
			_, _ = w.Write([]byte(`{"name":"alice"}`))
		case r.Method == "POST" && r.URL.Path == "/v1/webhooks":
			n++
			id := fmt.Sprintf("wh%d", n)
			live[id] = true
			w.WriteHeader(http.StatusCreated)
			_ = json.NewEncoder(w).Encode(map[string]any{"webhook": map[string]any{"id": id, "url": "http://example.com/h"}})
		case r.Method == "GET" && live[id]:
			_ = json.NewEncoder(w).Encode(map[string]any{"id": id, "url": "http://example.com/h"})
		case r.Method == "DELETE" && live[id]:
			if r.URL.Query().Get("confirm") == "" {
				w.WriteHeader(http.StatusUnprocessableEntity)
				_, _ = w.Write([]byte(`{"code":422,"status":"Unprocessable Entity","errors":{"query":{"confirm":["Missing data for required field."]}}}`))
				return
			}
			delete(live, id)
			*deleted++
			w.WriteHeader(http.StatusNoContent)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
}

// TestDeleteLearnsQueryParameterOnItem: the cleanup's DELETE of an item
// refused for a missing query parameter that names no object is sent
// again with a made-up value; the phase's webhooks are deleted.
func TestDeleteLearnsQueryParameterOnItem(t *testing.T) {
	live, mu := map[string]bool{}, &sync.Mutex{}
	deleted := 0
	out := runWrites(t, hooks(live, &deleted, mu), []string{"GET /v1/me", "POST /v1/webhooks", "GET /v1/webhooks/{hook_id}", "DELETE /v1/webhooks/{hook_id}"},
		map[string]inventory.Body{"POST /v1/webhooks": {Value: map[string]any{"url": "http://example.com/h"}}})
	mu.Lock()
	defer mu.Unlock()
	if deleted == 0 {
		t.Errorf("no webhook deleted (left %v); notes %q; not run %q", live, out.Notes, out.NotRun)
	}
	if !strings.Contains(strings.Join(out.Notes, "\n"), "DELETE /v1/webhooks/{hook_id} answered 422; retried with ?confirm") {
		t.Errorf("notes %q", out.Notes)
	}
}

// TestServerErrorCreateSaysWhy: a create with no body known that fails
// with a 5xx whatever it is sent is listed as not run with that reason,
// not as a body the scan did not know.
func TestServerErrorCreateSaysWhy(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t0k3n-alice" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch r.Method + " " + r.URL.Path {
		case "GET /me":
			_, _ = w.Write([]byte(`{"name":"alice"}`))
		case "POST /reports":
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`Internal Server Error`))
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
	out := runWrites(t, h, []string{"GET /me", "POST /reports", "GET /reports/{id}"}, nil)
	if !strings.Contains(strings.Join(out.NotRun, "\n"), "POST /reports and the checks on its objects: no request body known (spec requestBody, config bodies:, code, or an object in the owner's GET of the collection), and an empty one answered 500, a server error that names no field to add") {
		t.Errorf("not run %q", out.NotRun)
	}
}
