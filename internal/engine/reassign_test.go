package engine

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// recipeBox: POST /session {"user","pass"} answers {"session": {"key"}},
// sent back in X-Key; POST /recipes sets "owner" to the caller's
// user name whatever the body says; GET, PATCH and DELETE /recipes/{id}
// serve the owner only. loose: the PATCH copies every field it is sent
// that the recipe has onto it (owner included), as a setattr loop over a
// model does; strict, all but the owner.
type recipeBox struct {
	loose   bool
	mu      sync.Mutex
	recipes map[int]map[string]any
	n       int
}

var recipeKeys = map[string]string{"rk-ann-7d3f0b9e1c": "ann", "rk-ben-2a6c8e4f0d": "ben"}

func (b *recipeBox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	reply := func(st int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(st)
		_ = json.NewEncoder(w).Encode(v)
	}
	var in map[string]any
	_ = json.NewDecoder(r.Body).Decode(&in)
	if r.URL.Path == "/session" && r.Method == http.MethodPost {
		for k, u := range recipeKeys {
			if in["user"] == u && in["pass"] == u+"-pass-5" {
				reply(http.StatusOK, map[string]any{"session": map[string]string{"key": k}})
				return
			}
		}
		reply(http.StatusUnauthorized, map[string]string{"detail": "bad user or pass"})
		return
	}
	who, ok := recipeKeys[r.Header.Get("X-Key")]
	if !ok {
		reply(http.StatusUnauthorized, map[string]string{"detail": "X-Key required"})
		return
	}
	if r.URL.Path == "/me" && r.Method == http.MethodGet {
		reply(http.StatusOK, map[string]string{"username": who})
		return
	}
	if r.URL.Path == "/recipes" && r.Method == http.MethodPost {
		b.n++
		rec := map[string]any{"id": b.n, "title": in["title"], "steps": in["steps"], "owner": who}
		b.recipes[b.n] = rec
		reply(http.StatusCreated, rec)
		return
	}
	id, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/recipes/"))
	rec := b.recipes[id]
	if err != nil || rec == nil || rec["owner"] != who {
		reply(http.StatusNotFound, map[string]string{"detail": "no such recipe"})
		return
	}
	switch r.Method {
	case http.MethodGet:
		reply(http.StatusOK, rec)
	case http.MethodPatch:
		for k, v := range in {
			// A model's setattr: fields it has (owner too when
			// loose), never its id; unknown ones are not stored.
			if _, has := rec[k]; has && k != "id" && (b.loose || k != "owner") {
				rec[k] = v
			}
		}
		reply(http.StatusOK, rec)
	case http.MethodDelete:
		delete(b.recipes, id)
		w.WriteHeader(http.StatusNoContent)
	default:
		reply(http.StatusMethodNotAllowed, map[string]string{"detail": "method not allowed"})
	}
}

// TestOwnerHandedOverByUpdate: an update that stores every field it is
// sent lets the owner hand its recipe to the throwaway identity through
// the owner field the create sets itself (PATCH, a user name; blog-jwt's
// was PUT with an integer user_id): mass assignment, read back as the new
// owner, who deletes it in the cleanup. The strict twin yields nothing.
func TestOwnerHandedOverByUpdate(t *testing.T) {
	for _, loose := range []bool{true, false} {
		box := &recipeBox{loose: loose, recipes: map[int]map[string]any{}}
		srv := httptest.NewServer(box)
		u, _ := url.Parse(srv.URL)
		client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second, Retries: 1})
		if err != nil {
			t.Fatal(err)
		}
		inv := &inventory.Inventory{Bodies: map[string]inventory.Body{
			"POST /recipes":        {Value: map[string]any{"title": "soup", "steps": "boil"}},
			"PATCH /recipes/{id}":  {Value: map[string]any{"title": "soup", "steps": "boil"}},
			"DELETE /recipes/{id}": {},
		}}
		for _, line := range []string{"POST /session", "GET /me", "POST /recipes", "GET /recipes/{id}", "PATCH /recipes/{id}", "DELETE /recipes/{id}"} {
			ep, err := inventory.ParseEndpoint(line)
			if err != nil {
				t.Fatal(err)
			}
			inv.Add(ep)
		}
		var ids []*identity.Identity
		for _, n := range []string{"ann", "ben"} {
			ids = append(ids, &identity.Identity{Name: n, Throwaway: n == "ben", Login: &identity.Login{Method: "POST", URL: "/session",
				JSON: identity.Body{"user": n, "pass": n + "-pass-5"}, Token: "session.key", Use: "header:X-Key"}})
		}
		out := runComplete(t, Options{Target: u, Client: client, Inventory: inv, Identities: ids, AllowWrites: true, Settings: probe.Settings{}})
		srv.Close()
		var got []string
		for _, f := range out.Findings {
			if f.Rule == "authz.mass-assignment" && f.Endpoint != nil && f.Endpoint.String() == "PATCH /recipes/{id}" {
				got = append(got, f.Message)
			}
		}
		if (len(got) > 0) != loose || loose && !strings.Contains(got[0], "owner") {
			for _, f := range out.Findings {
				t.Logf("loose=%v: %s %s: %s", loose, f.Rule, f.Endpoint, f.Message)
			}
			t.Errorf("loose=%v: mass assignment on the update: %q", loose, got)
		}
		box.mu.Lock()
		for id, rec := range box.recipes {
			// The write phase's recipes (the handed-over one too) are
			// deleted, by whoever owns them by then.
			if title, _ := rec["title"].(string); strings.HasPrefix(title, "soup") {
				t.Errorf("loose=%v: recipe %d (%s, owner %v) left after the cleanup", loose, id, title, rec["owner"])
			}
		}
		box.mu.Unlock()
	}
}
