package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// recorder is an API with a login, a protected read and every kind of
// write, which records each request that is not GET, HEAD or OPTIONS.
type recorder struct {
	mu     sync.Mutex
	writes []string
	all    int
}

func (rc *recorder) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/login", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		if pw := map[string]string{"alice": "alice-pw", "tess": "tess-pw"}[body["username"]]; pw == "" || pw != body["password"] {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"msg":"Bad username or password"}`))
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"access_token": "tok-" + body["username"], "refresh_token": "ref-" + body["username"]})
	})
	gated := func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer tok-")
		if !ok || (tok != "alice" && tok != "tess") {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"msg":"unauthorized"}`))
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"user": tok, "items": []int{1, 2}})
	}
	mux.HandleFunc("GET /api/me", gated)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"ok":true}`))
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc.mu.Lock()
		rc.all++
		rc.mu.Unlock()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			rc.mu.Lock()
			rc.writes = append(rc.writes, r.Method+" "+r.URL.Path)
			rc.mu.Unlock()
		}
		mux.ServeHTTP(w, r)
	})
}

const recorderConfig = `identities:
  alice:
    login: {method: POST, url: /api/login, json: {username: alice, password: alice-pw}, token: access_token}
  tess:
    login: {method: POST, url: /api/login, json: {username: tess, password: tess-pw}, token: access_token}
    throwaway: true
endpoints:
  - GET /api/me
  - POST /api/items
  - PUT /api/items/{id}
  - DELETE /api/items/{id}
  - POST /api/auth/logout
  - POST /api/auth/refresh
  - POST /api/account/password
  - POST /api/password/forgot
  - POST /api/password/reset
`

// TestNoWritesWithoutAllowWrites: without --allow-writes, a server that
// records every request other than GET, HEAD and OPTIONS sees only the
// configured login request; with it, the lifecycle flows do write (so the
// recorder can tell).
func TestNoWritesWithoutAllowWrites(t *testing.T) {
	t.Parallel()
	cfg := filepath.Join(t.TempDir(), "authprobe.yaml")
	if err := os.WriteFile(cfg, []byte(recorderConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, allow := range []bool{false, true} {
		rc := &recorder{}
		srv := httptest.NewServer(rc.handler())
		args := []string{"scan", srv.URL, "-c", cfg, "--quiet", "--fail-on", "none", "--bruteforce-attempts", "3"}
		if allow {
			args = append(args, "--allow-writes")
		}
		code, _, stderr := run(args...)
		srv.Close()
		if code != ExitOK {
			t.Fatalf("allow-writes %v: exit %d: %s", allow, code, stderr)
		}
		others := map[string]int{}
		logins := 0
		for _, w := range rc.writes {
			if w == "POST /api/login" {
				logins++
			} else {
				others[w]++
			}
		}
		if logins == 0 {
			t.Fatalf("allow-writes %v: no login recorded: the recorder sees nothing", allow)
		}
		if !allow && len(others) > 0 {
			t.Errorf("without --allow-writes the server saw writes other than the login: %v", others)
		}
		if allow && others["POST /api/auth/logout"] == 0 {
			t.Errorf("with --allow-writes the logout flow never ran: %v", others)
		}
	}
}

// TestDryRunSendsNothing: --dry-run prints the write plan, in order, and
// the server sees no request at all.
func TestDryRunSendsNothing(t *testing.T) {
	t.Parallel()
	cfg := filepath.Join(t.TempDir(), "authprobe.yaml")
	if err := os.WriteFile(cfg, []byte(recorderConfig+"bodies:\n  \"POST /api/items\": {name: widget}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rc := &recorder{}
	srv := httptest.NewServer(rc.handler())
	defer srv.Close()
	code, stdout, stderr := run("scan", srv.URL, "-c", cfg, "--allow-writes", "--dry-run")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if rc.all != 0 {
		t.Errorf("--dry-run sent %d requests", rc.all)
	}
	order := []string{
		"POST /api/auth/logout with a token of a fresh login of tess",
		"POST /api/account/password on throwaway tess",
		`POST /api/items as alice, body from config: {"name":"widget"}`,
		// No GET /api/items/{id}: a run cannot read an object back, so the
		// plan says these steps are not run rather than listing them.
		"not run: mass assignment, anonymous writes and BOLA on POST /api/items's objects (no GET to read an object back)",
		"DELETE /api/items/{id} as alice: cleanup",
	}
	last := -1
	for _, want := range order {
		i := strings.Index(stdout, want)
		if i < 0 {
			t.Errorf("plan lacks %q:\n%s", want, stdout)
			continue
		}
		if i < last {
			t.Errorf("plan has %q out of order:\n%s", want, stdout)
		}
		last = i
	}
}
