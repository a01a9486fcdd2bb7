package engine

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// lockoutAPI locks an account after 3 wrong passwords and never throttles
// per client: a brute-force check against the real username locks it.
type lockoutAPI struct {
	mu       sync.Mutex
	failures map[string]int
	wrongFor map[string]int
	logins   atomic.Int64
	tok      string
}

func (a *lockoutAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/login" {
		var body struct{ Username, Password string }
		_ = json.NewDecoder(r.Body).Decode(&body)
		a.mu.Lock()
		defer a.mu.Unlock()
		if body.Username == "alice" && body.Password == "alice-pw" && a.failures["alice"] < 3 {
			a.logins.Add(1)
			json.NewEncoder(w).Encode(map[string]string{"token": a.tok})
			return
		}
		a.failures[body.Username]++
		if body.Password != "alice-pw" {
			a.wrongFor[body.Username]++
		}
		http.Error(w, `{"error":"bad credentials"}`, 401)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+a.tok {
		http.Error(w, `{"error":"unauthorized"}`, 401)
		return
	}
	w.Write([]byte(`{"user":"alice"}`))
}

func runLockout(t *testing.T, throwaway, allow bool) *lockoutAPI {
	t.Helper()
	api := &lockoutAPI{failures: map[string]int{}, wrongFor: map[string]int{}, tok: validToken(t)}
	srv := httptest.NewServer(api)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ep, _ := inventory.ParseEndpoint("GET /api/me")
	id := &identity.Identity{Name: "alice", Throwaway: throwaway, Login: &identity.Login{Method: "POST", URL: "/login",
		JSON: map[string]any{"username": "alice", "password": "alice-pw"}, Token: "token"}}
	checks, err := Select(Registry(), []string{"apikey.no-bruteforce-protection"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := Run(ctx, Options{Target: u, Client: client, Inventory: &inventory.Inventory{Endpoints: []inventory.Endpoint{ep}},
		Identities: []*identity.Identity{id}, Checks: checks,
		Settings: probe.Settings{BruteforceAttempts: 10, AllowLockout: allow}}); err != nil {
		t.Fatal(err)
	}
	return api
}

// TestBruteforceSparesRealAccounts: by default no wrong password is sent
// for the configured username; throwaway: true or --allow-lockout opt in.
func TestBruteforceSparesRealAccounts(t *testing.T) {
	api := runLockout(t, false, false)
	if n := api.wrongFor["alice"]; n != 0 {
		t.Fatalf("%d wrong passwords sent for the real account", n)
	}
	made := 0
	for user, n := range api.wrongFor {
		if user != "alice" {
			made += n
		}
	}
	if made < 10 {
		t.Fatalf("the made-up username got %d wrong passwords, want 10", made)
	}
	if api := runLockout(t, true, false); api.wrongFor["alice"] == 0 {
		t.Fatal("throwaway: the real account was not used")
	}
	if api := runLockout(t, false, true); api.wrongFor["alice"] == 0 {
		t.Fatal("--allow-lockout: the real account was not used")
	}
}
