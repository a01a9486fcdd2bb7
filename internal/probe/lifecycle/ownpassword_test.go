package lifecycle_test

import (
	"context"
	"encoding/base64"
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

// profilesAPI keeps each member's password on /api/v2/profiles/{pk},
// writable only by the member itself (403 for anyone else's pk); its
// tokens carry the member's number as a user_id claim, and /api/v2/me
// shows it as pk. strict: the change wants the current password too.
func profilesAPI(strict bool, patched *[]string) http.Handler {
	var mu sync.Mutex
	pw := map[string]string{"alice@example.com": "alice-pw", "tossy@example.com": "tossy-pw"}
	num := map[string]string{"alice@example.com": "7", "tossy@example.com": "9"}
	n := 0
	token := func(email string) string {
		n++
		seg := func(v any) string { b, _ := json.Marshal(v); return base64.RawURLEncoding.EncodeToString(b) }
		return seg(map[string]any{"alg": "HS256", "typ": "JWT"}) + "." + seg(map[string]any{"user_id": num[email], "n": n}) + ".c2ln"
	}
	whose := func(r *http.Request) string {
		t := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		parts := strings.Split(t, ".")
		if len(parts) != 3 || parts[2] != "c2ln" {
			return ""
		}
		b, _ := base64.RawURLEncoding.DecodeString(parts[1])
		var c map[string]any
		_ = json.Unmarshal(b, &c)
		for e, k := range num {
			if c["user_id"] == k {
				return e
			}
		}
		return ""
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		switch {
		case r.Method == "POST" && r.URL.Path == "/api/v2/session/login":
			if p, ok := pw[body["email"]]; !ok || p != body["password"] {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_ = json.NewEncoder(w).Encode(map[string]string{"token": token(body["email"])})
		case r.Method == "GET" && r.URL.Path == "/api/v2/me":
			e := whose(r)
			if e == "" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_ = json.NewEncoder(w).Encode(map[string]string{"pk": num[e], "email": e})
		case r.Method == "PATCH" && strings.HasPrefix(r.URL.Path, "/api/v2/profiles/"):
			*patched = append(*patched, r.URL.Path)
			e := whose(r)
			switch {
			case e == "":
				w.WriteHeader(http.StatusUnauthorized)
			case num[e] != strings.TrimPrefix(r.URL.Path, "/api/v2/profiles/"):
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write([]byte(`{"message":"Unauthorized"}`))
			case body["password"] == "":
				w.WriteHeader(http.StatusBadRequest)
			case strict && body["current_password"] != pw[e]:
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"message":"current password is wrong"}`))
			default:
				pw[e] = body["password"]
				_, _ = w.Write([]byte(`{"ok":true}`))
			}
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
}

// TestPasswordChangeOnOwnRecord: a password change on a route naming the
// account (PATCH /api/v2/profiles/{pk}, self-only) is sent on the
// throwaway account's own pk, its token's user_id — not on the pk the
// reads were filled with (alice's, from /api/v2/me) — so the change
// without the current password is found; the strict twin yields nothing.
// fromCode: no spec body, only the fields the handler reads (its
// "password" is the new one), not the default new_password body.
func TestPasswordChangeOnOwnRecord(t *testing.T) {
	for _, c := range []struct{ strict, fromCode bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		strict := c.strict
		var patched []string
		srv := httptest.NewServer(profilesAPI(strict, &patched))
		u, _ := url.Parse(srv.URL)
		client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		eps, _ := inventory.ParseEndpoints([]string{"POST /api/v2/session/login", "GET /api/v2/me", "PATCH /api/v2/profiles/{pk}"}, inventory.SourceConfig)
		body := map[string]any{"password": "x", "email": "x@example.com"}
		inv := &inventory.Inventory{Bodies: map[string]inventory.Body{"PATCH /api/v2/profiles/{pk}": {Value: body}}}
		var set probe.Settings
		if c.fromCode {
			inv.Bodies = nil
			set = probe.Settings{Flows: probe.Flows{Hints: map[string]string{"PATCH /api/v2/profiles/{pk}": probe.RolePasswordChange}},
				SourceBodies: map[string]probe.SourceBody{"PATCH /api/v2/profiles/{pk}": {Value: body, Where: "app.py:40"}}}
		}
		inv.Add(eps...)
		login := func(email, pw string) *identity.Login {
			return &identity.Login{Method: "POST", URL: "/api/v2/session/login", Token: "token",
				JSON: identity.Body{"email": email, "password": pw}}
		}
		out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
			AllowWrites: true, Allow: engine.RuleFilter([]string{"account.password-change-without-current"}, nil), Settings: set,
			Identities: []*identity.Identity{
				{Name: "alice", Login: login("alice@example.com", "alice-pw")},
				{Name: "tossy", Throwaway: true, Login: login("tossy@example.com", "tossy-pw")}}})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range out.Findings {
			if f.Rule == "account.password-change-without-current" && f.Endpoint != nil {
				got = append(got, f.Endpoint.String())
			}
		}
		want := "PATCH /api/v2/profiles/{pk}"
		if strict {
			want = ""
		}
		if strings.Join(got, "|") != want {
			t.Errorf("%+v: findings %q, want %q; sent %q; notes %q", c, got, want, patched, out.Notes)
		}
		for _, p := range patched {
			if p != "/api/v2/profiles/9" {
				t.Errorf("strict %v: a password change sent to %s, not the throwaway's own /api/v2/profiles/9", strict, p)
			}
		}
		if len(patched) == 0 {
			t.Errorf("strict %v: no password change sent; notes %q", strict, out.Notes)
		}
	}
}
