package engine

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

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// keyedAccounts: identities hold keys (X-Key); accounts register at
// POST /api/signup {username, email, password}; POST /api/deactivate
// takes the account's username and password in its body (no key), and
// POST /api/forgot-password its e-mail. served records what each answered.
type keyedAccounts struct {
	mu     sync.Mutex
	users  map[string][2]string // username -> email, password
	served map[string][]int
}

func (k *keyedAccounts) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	defer k.mu.Unlock()
	var body map[string]string
	_ = json.NewDecoder(r.Body).Decode(&body)
	status := http.StatusOK
	defer func() { k.served[r.Method+" "+r.URL.Path] = append(k.served[r.Method+" "+r.URL.Path], status) }()
	reply := func(st int, v any) {
		status = st
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(st)
		_ = json.NewEncoder(w).Encode(v)
	}
	switch r.Method + " " + r.URL.Path {
	case "GET /api/me":
		if r.Header.Get("X-Key") != "k-alice-0123456789" {
			reply(http.StatusUnauthorized, map[string]string{"error": "missing key"})
			return
		}
		reply(http.StatusOK, map[string]string{"user": "alice"})
	case "POST /api/signup":
		if body["username"] == "" || body["password"] == "" || body["email"] == "" {
			reply(http.StatusBadRequest, map[string]string{"error": "username, email and password are required"})
			return
		}
		if _, ok := k.users[body["username"]]; ok {
			reply(http.StatusConflict, map[string]string{"error": "taken"})
			return
		}
		k.users[body["username"]] = [2]string{body["email"], body["password"]}
		reply(http.StatusCreated, map[string]string{"username": body["username"]})
	case "POST /api/deactivate":
		u, ok := k.users[body["username"]]
		if !ok || u[1] != body["password"] {
			reply(http.StatusUnauthorized, map[string]string{"error": "bad credentials"})
			return
		}
		reply(http.StatusOK, map[string]string{"message": "deactivated"})
	case "POST /api/forgot-password":
		for _, u := range k.users {
			if u[0] == body["email"] {
				reply(http.StatusOK, map[string]string{"message": "mail sent"})
				return
			}
		}
		reply(http.StatusNotFound, map[string]string{"error": "no such user"})
	default:
		status = http.StatusNotFound
		http.NotFound(w, r)
	}
}

// TestReservedSentLastWithOwnValues: a route whose code checks a password
// but that is no identity's login, and a reset request, which no check
// got a 2xx from, are sent last with the values of the account the scan
// registered (its username and password; its e-mail), and the scan's
// identities (keys) never have them changed.
func TestReservedSentLastWithOwnValues(t *testing.T) {
	app := &keyedAccounts{users: map[string][2]string{}, served: map[string][]int{}}
	srv := httptest.NewServer(app)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var eps []inventory.Endpoint
	for _, s := range []string{"GET /api/me", "POST /api/signup", "POST /api/deactivate", "POST /api/forgot-password"} {
		ep, err := inventory.ParseEndpoint(s)
		if err != nil {
			t.Fatal(err)
		}
		eps = append(eps, ep)
	}
	ids := []*identity.Identity{
		{Name: "alice", Base: identity.Creds{Headers: map[string]string{"X-Key": "k-alice-0123456789"}}},
	}
	set := probe.Settings{
		Flows: probe.Flows{Hints: map[string]string{"POST /api/deactivate": probe.RoleLogin}},
		SourceBodies: map[string]probe.SourceBody{
			"POST /api/signup":          {Value: map[string]any{"username": "x", "email": "x@example.com", "password": "x"}},
			"POST /api/deactivate":      {Value: map[string]any{"username": "x", "password": "x"}},
			"POST /api/forgot-password": {Value: map[string]any{"email": "x@example.com"}},
		},
	}
	checks, err := Select(Registry(), []string{"account.registration", "authz.actions"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := Run(ctx, Options{Target: u, Client: client, Inventory: &inventory.Inventory{Endpoints: eps},
		Identities: ids, Checks: checks, Settings: set, AllowWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	app.mu.Lock()
	defer app.mu.Unlock()
	if len(app.users) == 0 {
		t.Fatalf("no account registered (notes %q)", out.Notes)
	}
	for _, ep := range []string{"POST /api/deactivate", "POST /api/forgot-password"} {
		ok := false
		for _, st := range app.served[ep] {
			ok = ok || st == http.StatusOK
		}
		if !ok {
			t.Errorf("%s never answered 200 (answers %v; all %v; notes %q)", ep, app.served[ep], app.served, strings.Join(out.Notes, " | "))
		}
	}
}
