package engine

import (
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
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
	id := &identity.Identity{Name: "alice", Throwaway: throwaway, Login: &identity.Login{Method: "POST", URL: "/login",
		JSON: map[string]any{"username": "alice", "password": "alice-pw"}, Token: "token"}}
	runCheck(t, api, "GET /api/me", []*identity.Identity{id}, "apikey.no-bruteforce-protection", probe.Settings{BruteforceAttempts: 10, AllowLockout: allow})
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
