package engine

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// basicLoginAPI issues a token for HTTP Basic credentials (the shape of
// Flask-HTTPAuth's POST /api/tokens), and, when limit > 0, answers 429
// once limit failures came from the client.
type basicLoginAPI struct {
	path     string
	token    string // dot path of the token in the answer
	limit    int
	mu       sync.Mutex
	failures int
	wrongFor map[string]int
	tok      string
}

func (a *basicLoginAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == a.path && r.Method == http.MethodPost {
		user, pw, ok := r.BasicAuth()
		a.mu.Lock()
		defer a.mu.Unlock()
		if a.limit > 0 && a.failures >= a.limit {
			w.Header().Set("Retry-After", "60")
			http.Error(w, `{"error":"too many attempts"}`, http.StatusTooManyRequests)
			return
		}
		if ok && user == "alice" && pw == "alice-pw-1" {
			body := map[string]any{"token": a.tok}
			if a.token == "data.access_token" {
				body = map[string]any{"data": map[string]any{"access_token": a.tok}}
			}
			json.NewEncoder(w).Encode(body)
			return
		}
		a.failures++
		if ok {
			a.wrongFor[user]++
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="Authentication Required"`)
		http.Error(w, `{"error":"Unauthorized"}`, http.StatusUnauthorized)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+a.tok {
		http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
		return
	}
	w.Write([]byte(`{"user":"alice"}`))
}

func scanBasicLogin(t *testing.T, api *basicLoginAPI, throwaway bool) []finding.Finding {
	t.Helper()
	api.wrongFor, api.tok = map[string]int{}, validToken(t)
	id := &identity.Identity{Name: "alice", Throwaway: throwaway, Login: &identity.Login{Method: "POST", URL: api.path,
		Header: map[string]string{"Authorization": "Basic YWxpY2U6YWxpY2UtcHctMQ=="}, Token: api.token}}
	return runCheck(t, api, "GET /api/me", []*identity.Identity{id}, "apikey.no-bruteforce-protection", probe.Settings{BruteforceAttempts: 10}).Findings
}

func bruteforceOn(fs []finding.Finding, ep string) bool {
	for _, f := range fs {
		if f.Rule == "apikey.no-bruteforce-protection" && f.Endpoint != nil && f.Endpoint.String() == ep {
			return true
		}
	}
	return false
}

// TestBruteforceBasicLogin: a login that takes HTTP Basic credentials and
// answers a token (no body, so no password field) gets the wrong-password
// series in its Authorization header — for a made-up username unless the
// account is throwaway — in two shapes (a microblog-like POST /api/tokens
// answering "token", a POST /auth/basic answering data.access_token), and
// its throttled twin yields nothing.
func TestBruteforceBasicLogin(t *testing.T) {
	api := &basicLoginAPI{path: "/api/tokens", token: "token"}
	if fs := scanBasicLogin(t, api, false); !bruteforceOn(fs, "POST /api/tokens") {
		t.Fatalf("no brute-force finding on the Basic login: %+v", fs)
	}
	if api.wrongFor["alice"] != 0 {
		t.Fatalf("%d wrong passwords sent for the real account", api.wrongFor["alice"])
	}
	if len(api.wrongFor) == 0 {
		t.Fatal("no wrong password reached the login in the Authorization header")
	}
	other := &basicLoginAPI{path: "/auth/basic", token: "data.access_token"}
	if fs := scanBasicLogin(t, other, true); !bruteforceOn(fs, "POST /auth/basic") {
		t.Fatalf("no brute-force finding on the second Basic login: %+v", fs)
	}
	if other.wrongFor["alice"] == 0 {
		t.Fatal("throwaway: the real account was not used")
	}
	held := &basicLoginAPI{path: "/api/tokens", token: "token", limit: 5}
	if fs := scanBasicLogin(t, held, false); bruteforceOn(fs, "POST /api/tokens") {
		t.Fatalf("a throttled Basic login reported: %+v", fs)
	}
}

// scanDiscoveredBasic scans an API whose only login is found in the
// inventory (no identity logs in there) and reads HTTP Basic credentials.
func scanDiscoveredBasic(t *testing.T, api *basicLoginAPI, login inventory.Endpoint, schemes map[string]inventory.Scheme) []finding.Finding {
	t.Helper()
	api.wrongFor, api.tok = map[string]int{}, validToken(t)
	srv := httptest.NewServer(api)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	me, _ := inventory.ParseEndpoint("GET /api/me")
	id := &identity.Identity{Name: "alice", Base: identity.Creds{Bearer: api.tok}}
	checks, err := Select(Registry(), []string{"apikey.no-bruteforce-protection"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := Run(ctx, Options{Target: u, Client: client, AllowWrites: true,
		Inventory:  &inventory.Inventory{Endpoints: []inventory.Endpoint{me, login}, Schemes: schemes},
		Identities: []*identity.Identity{id}, Checks: checks, Settings: probe.Settings{BruteforceAttempts: 10}})
	if err != nil {
		t.Fatal(err)
	}
	return out.Findings
}

// TestBruteforceDiscoveredBasicLogin: a login no identity uses, whose
// code reads HTTP Basic credentials (FastAPI's HTTPBasic POST /login) or
// whose spec operation names a basic scheme, gets wrong passwords for
// made-up usernames in the Authorization header; its throttled twin
// yields nothing.
func TestBruteforceDiscoveredBasicLogin(t *testing.T) {
	code := inventory.Endpoint{Method: "POST", Path: "/login", Sources: []string{inventory.SourceCode}, Expects: []string{"basic"}}
	api := &basicLoginAPI{path: "/login", token: "token"}
	if fs := scanDiscoveredBasic(t, api, code, nil); !bruteforceOn(fs, "POST /login") {
		t.Fatalf("no brute-force finding on the code's Basic login: %+v", fs)
	}
	if len(api.wrongFor) == 0 || api.wrongFor["alice"] != 0 {
		t.Fatalf("wrong passwords per user in the Authorization header: %v", api.wrongFor)
	}
	spec := inventory.Endpoint{Method: "POST", Path: "/auth/token", Sources: []string{inventory.SourceSpec}, Security: [][]string{{"basicAuth"}}}
	schemes := map[string]inventory.Scheme{"basicAuth": {Name: "basicAuth", Type: "basic", In: "header", Param: "Authorization"}}
	other := &basicLoginAPI{path: "/auth/token", token: "data.access_token"}
	if fs := scanDiscoveredBasic(t, other, spec, schemes); !bruteforceOn(fs, "POST /auth/token") {
		t.Fatalf("no brute-force finding on the spec's Basic login: %+v", fs)
	}
	held := &basicLoginAPI{path: "/login", token: "token", limit: 5}
	if fs := scanDiscoveredBasic(t, held, code, nil); bruteforceOn(fs, "POST /login") {
		t.Fatalf("a throttled Basic login reported: %+v", fs)
	}
}
