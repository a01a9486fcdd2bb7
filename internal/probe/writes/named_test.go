package writes_test

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
	"github.com/authprobe/authprobe/internal/probe/writes"
)

// bucketsAPI is a create on the item's own path, the client naming the
// object (POST /buckets/<bucket> {"region": ...}, answering no id), read
// and deleted on that path; there is no collection POST. "prod" is the
// API's own bucket. writes records every write by method and name.
func bucketsAPI(writes map[string][]string) http.Handler {
	var mu sync.Mutex
	buckets := map[string]string{"prod": "eu"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("X-Api-Key") != "k" {
			w.WriteHeader(401)
			return
		}
		name, ok := strings.CutPrefix(r.URL.Path, "/buckets/")
		if !ok || name == "" || strings.Contains(name, "/") {
			w.WriteHeader(404)
			return
		}
		if r.Method != http.MethodGet {
			writes[r.Method] = append(writes[r.Method], name)
		}
		switch r.Method {
		case http.MethodGet:
			region, ok := buckets[name]
			if !ok {
				w.WriteHeader(404)
				return
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"bucket": name, "region": region})
		case http.MethodPost:
			var b map[string]any
			if json.NewDecoder(r.Body).Decode(&b) != nil || b["region"] == nil {
				w.WriteHeader(400)
				_, _ = w.Write([]byte(`{"message": {"region": "Missing required parameter in the JSON body"}}`))
				return
			}
			if _, taken := buckets[name]; taken {
				w.WriteHeader(409)
				return
			}
			buckets[name] = b["region"].(string)
			w.WriteHeader(201)
			_, _ = w.Write([]byte(`{"created": true}`))
		case http.MethodDelete:
			if _, ok := buckets[name]; !ok {
				w.WriteHeader(404)
				return
			}
			delete(buckets, name)
			w.WriteHeader(204)
		default:
			w.WriteHeader(405)
		}
	})
}

// TestWritesNamedCreate: with no collection POST, the create on the
// item's own path is sent on a fresh name of the scan's (its body learnt
// from the Flask-RESTful validation answer), and the object made is
// deleted on that same name; the API's own bucket is never written to.
func TestWritesNamedCreate(t *testing.T) {
	got := map[string][]string{}
	srv := httptest.NewServer(bucketsAPI(got))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	eps, _ := inventory.ParseEndpoints([]string{"GET /buckets/{bucket}", "POST /buckets/{bucket}", "DELETE /buckets/{bucket}"}, inventory.SourceConfig)
	inv := &inventory.Inventory{}
	inv.Add(eps...)
	out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Inventory: inv, Checks: writes.Checks(),
		AllowWrites: true, Allow: engine.RuleFilter([]string{"authz.writes"}, nil),
		Identities: []*identity.Identity{{Name: "keyholder", Base: identity.Creds{Headers: map[string]string{"X-Api-Key": "k"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	made := ""
	for _, n := range got["POST"] {
		if strings.HasPrefix(n, "authprobe-") {
			made = n
		}
	}
	if made == "" || len(got["DELETE"]) == 0 {
		t.Fatalf("writes %v; notes %q; not run %q", got, out.Notes, out.NotRun)
	}
	for m, names := range got {
		for _, n := range names {
			if !strings.HasPrefix(n, "authprobe-") {
				t.Errorf("%s on %q, a bucket the scan did not make", m, n)
			}
		}
	}
	if !contains(got["DELETE"], made) {
		t.Errorf("bucket %s made but not deleted: deletes %v", made, got["DELETE"])
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
