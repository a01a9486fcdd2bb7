package actions_test

import (
	"context"
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

// TestActionLearnsQueryParameter: an RPC-style action whose 422 (FastAPI,
// loc ["query", "order_id"]) asks for a query parameter is sent with it,
// filled with an order the identity owns; the parameter never goes into
// the body. The order is a seeded one, not the scan's: the write guard
// keeps the request back (not run).
func TestActionLearnsQueryParameter(t *testing.T) {
	var mu sync.Mutex
	var served, inBody []string
	owner := map[string]string{"41": "Bearer tok-alice", "52": "Bearer tok-bob"}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		auth := r.Header.Get("Authorization")
		if auth != "Bearer tok-alice" && auth != "Bearer tok-bob" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"detail":"Not authenticated"}`))
			return
		}
		switch r.Method + " " + r.URL.Path {
		case "GET /api/orders":
			for id, who := range owner {
				if who == auth {
					_, _ = w.Write([]byte(`{"orders":[{"id":` + id + `,"item":"tea"}]}`))
				}
			}
		case "POST /api/archive_order":
			var b map[string]any
			_ = json.NewDecoder(r.Body).Decode(&b)
			if _, ok := b["order_id"]; ok {
				inBody = append(inBody, r.URL.RawQuery)
			}
			id := r.URL.Query().Get("order_id")
			switch {
			case id == "":
				w.WriteHeader(http.StatusUnprocessableEntity)
				_, _ = w.Write([]byte(`{"detail":[{"loc":["query","order_id"],"msg":"field required","type":"value_error.missing"}]}`))
			case owner[id] != auth:
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write([]byte(`{"detail":"not your order"}`))
			default:
				served = append(served, id)
				_, _ = w.Write([]byte(`{"archived":` + id + `}`))
			}
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	eps, _ := inventory.ParseEndpoints([]string{"GET /api/orders", "POST /api/archive_order"}, inventory.SourceConfig)
	inv := &inventory.Inventory{}
	inv.Add(eps...)
	out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
		AllowWrites: true, Allow: engine.RuleFilter([]string{"authz.actions"}, nil),
		Identities: []*identity.Identity{
			{Name: "alice", Base: identity.Creds{Bearer: "tok-alice"}},
			{Name: "bob", Base: identity.Creds{Bearer: "tok-bob"}}}})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	// Order 41 is alice's own, but the scan did not create it: the write
	// guard keeps the archive back and says so.
	if len(served) != 0 || len(inBody) != 0 {
		t.Errorf("archived %v, order_id in a body %v; notes %q", served, inBody, out.Notes)
	}
	if !strings.Contains(strings.Join(out.NotRun, "\n"), "POST /api/archive_order: not sent: would change order_id=41 that the scan did not create") {
		t.Errorf("not run %q", out.NotRun)
	}
	if !strings.Contains(strings.Join(out.Notes, "\n"), "POST /api/archive_order answered 422 naming query parameters (order_id)") {
		t.Errorf("notes %q", out.Notes)
	}
}
