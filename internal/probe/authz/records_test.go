package authz_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// memberListAPI: alice and bob log in at POST /session and both may read
// GET /members (anonymous callers are refused). What a row holds is
// shape: "names" {id, login, display_name}; "emails" adds the e-mail;
// "hashes" adds the password hash; "notes" lists notes owned by their
// author instead of the members.
func memberListAPI(shape string) http.Handler {
	users := []map[string]any{
		{"id": 1, "login": "alice", "email": "alice@example.com", "pw": "alice-pw-1"},
		{"id": 2, "login": "bob", "email": "bob@example.com", "pw": "bob-pw-1"},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.Method + " " + r.URL.Path {
		case "POST /session":
			var b map[string]string
			_ = json.NewDecoder(r.Body).Decode(&b)
			for _, u := range users {
				if u["login"] == b["login"] && u["pw"] == b["password"] {
					_ = json.NewEncoder(w).Encode(map[string]any{"token": "tok-" + b["login"] + "-0123456789abcdef"})
					return
				}
			}
			w.WriteHeader(http.StatusUnauthorized)
		case "GET /members":
			if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer tok-") {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"error":"log in first"}`))
				return
			}
			var rows []map[string]any
			for _, u := range users {
				row := map[string]any{"id": u["id"], "login": u["login"], "display_name": strings.ToUpper(u["login"].(string))}
				switch shape {
				case "emails":
					row["email"] = u["email"]
				case "hashes":
					row["password_hash"] = "pbkdf2:sha256:600000$" + u["login"].(string) + "$0f3a9c"
				case "notes":
					row = map[string]any{"id": u["id"].(int) + 10, "login": u["login"], "text": "private note of " + u["login"].(string)}
				}
				rows = append(rows, row)
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"members": rows})
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
}

// TestUserRecordsWeighed: a list showing a member other accounts' own
// records is weighed by what the records show beyond the handles they are
// listed by (ids and names: low, a directory; an e-mail: medium; a
// password hash: high); objects owned by another account stay high.
func TestUserRecordsWeighed(t *testing.T) {
	want := map[string]string{"names": "low", "emails": "medium", "hashes": "high", "notes": "high"}
	for shape, sev := range want {
		srv := httptest.NewServer(memberListAPI(shape))
		u, _ := url.Parse(srv.URL)
		client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		eps, _ := inventory.ParseEndpoints([]string{"POST /session", "GET /members"}, inventory.SourceConfig)
		inv := &inventory.Inventory{}
		inv.Add(eps...)
		var ids []*identity.Identity
		for _, n := range []string{"alice", "bob"} {
			ids = append(ids, &identity.Identity{Name: n, Login: &identity.Login{Method: "POST", URL: "/session", Token: "token",
				JSON: identity.Body{"login": n, "password": n + "-pw-1"}}})
		}
		out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
			Allow: engine.RuleFilter([]string{"authz.collection-exposure"}, nil), Identities: ids})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, f := range out.Findings {
			if f.Rule == "authz.collection-exposure" {
				got = string(f.Severity)
			}
		}
		if got != sev {
			t.Errorf("%s: collection-exposure %q, want %q; notes %q", shape, got, sev, out.Notes)
		}
	}
}
