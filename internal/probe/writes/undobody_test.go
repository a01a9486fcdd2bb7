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
)

// shelfAPI is a Flask-RESTful-shaped resource on two URLs: POST /books
// {"title"} answers 200 {"message"} (no id), GET /books/{title} reads a
// book in an envelope, DELETE /books/{title} fails (the handler takes no
// title: 500) and DELETE /books {"title"} deletes. Books are shared.
func shelfAPI(books map[string]bool, mu *sync.Mutex) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subOf[r.Header.Get("Authorization")] == "" {
			w.WriteHeader(401)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		mu.Lock()
		defer mu.Unlock()
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		title, _ := body["title"].(string)
		name := strings.TrimPrefix(r.URL.Path, "/books/")
		switch {
		case r.URL.Path == "/books" && r.Method == http.MethodPost:
			if title == "" {
				w.WriteHeader(400)
				_ = json.NewEncoder(w).Encode(map[string]any{"message": "The passed data is not in expected format."})
				return
			}
			books[title] = true
			_ = json.NewEncoder(w).Encode(map[string]any{"message": "Book was added successfully."})
		case r.URL.Path == "/books" && r.Method == http.MethodDelete:
			if !books[title] {
				w.WriteHeader(500)
				return
			}
			delete(books, title)
			_ = json.NewEncoder(w).Encode(map[string]any{"message": "Book was deleted successfully."})
		case r.URL.Path == "/books" && r.Method == http.MethodGet:
			list := []any{}
			for k := range books {
				list = append(list, map[string]any{"title": k})
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"books": list})
		case r.Method == http.MethodGet && books[name]:
			_ = json.NewEncoder(w).Encode(map[string]any{"book": map[string]any{"title": name, "pages": 1}})
		case r.Method == http.MethodGet:
			w.WriteHeader(404)
		default:
			w.WriteHeader(500) // DELETE/PUT /books/{title}: the handler takes no title
		}
	})
}

// TestWritesObjectNamedByItsParameterOnly: the create's body names the new
// object by the item parameter alone ({"title"} beside GET
// /books/{title}) and answers no id: the object is the record its own
// path reads back holding the title the scan chose, and the cleanup
// deletes it through DELETE /books naming it in the body when DELETE
// /books/{title} fails. Held-out-informed (batch 7's inventory-jwt-redis
// POST /store {"name"}, DELETE /store {"name"}); this is a second shape.
func TestWritesObjectNamedByItsParameterOnly(t *testing.T) {
	var mu sync.Mutex
	books := map[string]bool{"seeded-book": true}
	srv := httptest.NewServer(shelfAPI(books, &mu))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	eps, _ := inventory.ParseEndpoints([]string{"GET /books", "POST /books", "DELETE /books", "GET /books/{title}", "DELETE /books/{title}"}, inventory.SourceConfig)
	inv := &inventory.Inventory{Bodies: map[string]inventory.Body{
		"POST /books":   {Value: map[string]any{"title": "a book"}},
		"DELETE /books": {Value: map[string]any{"title": "a book"}},
	}}
	inv.Add(eps...)
	out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
		AllowWrites: true, Allow: engine.RuleFilter([]string{"authz.writes"}, nil),
		Identities: []*identity.Identity{
			{Name: "alice", Base: identity.Creds{Bearer: aliceToken}},
			{Name: "bob", Base: identity.Creds{Bearer: bobToken}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	found, deleted := false, false
	for _, n := range out.Notes {
		found = found || strings.Contains(n, "POST /books answered without an id: its object is the record of")
		deleted = deleted || strings.Contains(n, "cleanup: deleted DELETE /books naming title=")
	}
	if !found || !deleted {
		t.Errorf("object found %v, deleted through DELETE /books %v; notes %q; not run %q", found, deleted, out.Notes, out.NotRun)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(books) != 1 || !books["seeded-book"] {
		t.Errorf("books left = %v, want only the seeded one", books)
	}
	for _, f := range out.Findings {
		if f.Rule == "authz.bola-write" || f.Rule == "authz.bola" {
			t.Errorf("a shared store reported as BOLA: %+v", f)
		}
	}
}
