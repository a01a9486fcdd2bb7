package accounts_test

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
	"github.com/authprobe/authprobe/internal/probe"
)

// roleSignupAPI: POST /signup needs an e-mail, a password and a role that
// exists ("reader" or "editor"; none, or another, is a 400); the login
// answer says the account's role; GET /drafts serves editors and refuses
// readers 403. With strict, a sign-up may only choose "reader".
func roleSignupAPI(strict bool) http.Handler {
	var mu sync.Mutex
	type user struct{ pw, role string }
	users := map[string]user{"rita@example.com": {"rita-pw-1", "reader"}, "ed@example.com": {"ed-pw-1", "editor"}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		var b map[string]any
		_ = json.NewDecoder(r.Body).Decode(&b)
		str := func(k string) string { s, _ := b[k].(string); return s }
		w.Header().Set("Content-Type", "application/json")
		bad := func(msg string) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"` + msg + `"}`))
		}
		switch r.Method + " " + r.URL.Path {
		case "POST /signup":
			role := str("role")
			switch {
			case str("email") == "" || str("password") == "":
				bad("email and password are required")
			case role != "reader" && role != "editor":
				bad("role must name an existing role")
			case strict && role != "reader":
				bad("sign-ups are readers")
			case users[str("email")] != user{}:
				bad("email already registered")
			default:
				users[str("email")] = user{str("password"), role}
				w.WriteHeader(http.StatusCreated)
				_, _ = w.Write([]byte(`{"created":true}`))
			}
		case "POST /login":
			u, ok := users[str("email")]
			if !ok || u.pw != str("password") {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"token": "t." + u.role + "." + str("email"), "role": u.role})
		case "GET /drafts":
			h := r.Header.Get("Authorization")
			switch {
			case !strings.HasPrefix(h, "Bearer t."):
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"error":"login required"}`))
			case !strings.HasPrefix(h, "Bearer t.editor."):
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write([]byte(`{"error":"editors only"}`))
			default:
				_, _ = w.Write([]byte(`{"drafts":[{"id":1,"title":"next issue"}]}`))
			}
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
}

// TestRegistrationRoleChosen: a registration that makes no account
// without a role field is tried with the roles the identities' login
// answers name; an account that chose "editor" is let in where the
// configured reader is refused (mass assignment), and the taken e-mail is
// told apart once an account exists. The strict twin lets a sign-up be a
// reader only: no mass assignment.
func TestRegistrationRoleChosen(t *testing.T) {
	for _, strict := range []bool{false, true} {
		srv := httptest.NewServer(roleSignupAPI(strict))
		u, _ := url.Parse(srv.URL)
		client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		eps, _ := inventory.ParseEndpoints([]string{"POST /signup", "POST /login", "GET /drafts"}, inventory.SourceConfig)
		inv := &inventory.Inventory{}
		inv.Add(eps...)
		var ids []*identity.Identity
		for _, n := range []string{"rita", "ed"} {
			ids = append(ids, &identity.Identity{Name: n, Login: &identity.Login{Method: "POST", URL: "/login", Token: "token",
				JSON: identity.Body{"email": n + "@example.com", "password": n + "-pw-1"}}})
		}
		out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
			AllowWrites: true, Allow: engine.RuleFilter([]string{"account.registration"}, nil), Identities: ids,
			Settings: probe.Settings{Bodies: map[string]any{"POST /signup": map[string]any{"email": "x@example.com", "password": "x", "role": "x"}}}})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		mass, enum := false, false
		for _, f := range out.Findings {
			mass = mass || f.Rule == "authz.mass-assignment"
			enum = enum || f.Rule == "account.registration-enumeration"
		}
		if mass == strict {
			t.Errorf("strict=%v: mass assignment %v; notes %q", strict, mass, out.Notes)
		}
		if !enum {
			t.Errorf("strict=%v: the taken e-mail was not told apart; notes %q", strict, out.Notes)
		}
	}
}
