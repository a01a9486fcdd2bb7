package writes_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// cafesAPI is the shape of the RPC-style cafe APIs: POST /add answers no
// id, GET /all lists every cafe, PATCH /update-price/<cafe_id> and DELETE
// /report-closed/<cafe_id> act on one (a made-up id answers 404). hits
// counts the writes that reached an existing cafe, by method.
func cafesAPI(hits map[string][]string, listKey string) http.Handler {
	var mu sync.Mutex
	cafes := []map[string]any{{"id": 1.0, "name": "FORA Borough"}}
	find := func(id string) int {
		for i, c := range cafes {
			if strconv.Itoa(int(c["id"].(float64))) == id {
				return i
			}
		}
		return -1
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/all":
			_ = json.NewEncoder(w).Encode(map[string]any{listKey: cafes})
		case r.Method == http.MethodPost && r.URL.Path == "/add":
			_ = r.ParseForm()
			if r.PostForm.Get("name") == "" {
				w.WriteHeader(500)
				_, _ = w.Write([]byte(`{"error": "NOT NULL constraint failed: cafe.name"}`))
				return
			}
			cafes = append(cafes, map[string]any{"id": float64(len(cafes) + 10), "name": r.PostForm.Get("name")})
			_, _ = w.Write([]byte(`{"response": {"success": "Successfully added the new cafe."}}`))
		case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/update-price/"),
			r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/report-closed/"):
			id := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
			i := find(id)
			if i < 0 {
				w.WriteHeader(404)
				return
			}
			hits[r.Method] = append(hits[r.Method], cafes[i]["name"].(string))
			if r.Method == http.MethodDelete {
				cafes = append(cafes[:i], cafes[i+1:]...)
			}
			_, _ = w.Write([]byte(`{"success": "done"}`))
		default:
			w.WriteHeader(404)
		}
	})
}

// TestWritesRPCPaired: the RPC writes are paired with the one create, its
// object found in GET /all by the name it was sent, and both are sent on
// that object only (the seeded cafe is never touched). Listed under
// another resource's name ("notes"), the object is not shown to be a
// cafe: the writes are not sent, and say why.
func TestWritesRPCPaired(t *testing.T) {
	for _, listKey := range []string{"cafes", "notes"} {
		hits := map[string][]string{}
		out := scanCafes(t, cafesAPI(hits, listKey))
		if listKey == "notes" {
			if len(hits) != 0 || !strings.Contains(strings.Join(out.NotRun, "\n"), "not shown to be a cafe (it is listed under \"notes\")") {
				t.Errorf("listed as notes: writes %v; not run %q", hits, out.NotRun)
			}
			continue
		}
		if len(hits["PATCH"]) != 1 || len(hits["DELETE"]) != 1 || !strings.HasPrefix(hits["PATCH"][0], "authprobe") || hits["DELETE"][0] != hits["PATCH"][0] {
			t.Errorf("writes on existing cafes %v; notes %q; not run %q", hits, out.Notes, out.NotRun)
		}
		found := false
		for _, n := range out.Notes {
			found = found || strings.Contains(n, "the record of GET /all holding the name it was sent")
		}
		if !found {
			t.Errorf("notes do not say where the object was found: %q", out.Notes)
		}
	}
}

func scanCafes(t *testing.T, h http.Handler) *engine.Outcome {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	eps, _ := inventory.ParseEndpoints([]string{"GET /all", "POST /add", "PATCH /update-price/{cafe_id}", "DELETE /report-closed/{cafe_id}"}, inventory.SourceConfig)
	inv := &inventory.Inventory{Bodies: map[string]inventory.Body{
		"POST /add": {Value: map[string]any{"name": "authprobe", "loc": "authprobe"}, Form: true},
	}}
	inv.Add(eps...)
	out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
		AllowWrites: true, Allow: engine.RuleFilter([]string{"authz.writes"}, nil),
		Identities: []*identity.Identity{{Name: "keyholder", Base: identity.Creds{Query: map[string]string{"api_key": "k"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
