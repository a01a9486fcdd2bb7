package engine

import (
	"encoding/json"
	"fmt"
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

// accountDesk: POST /auth {"email","passwd"} answers {"access": token};
// GET /accounts lists every account (account_id, email) to any caller
// with a token; PATCH /accounts/{account_id} changes the caller's own
// account only (403 for another's), its "passwd" too. strict: a passwd
// change needs "current_passwd" (400 without, 403 wrong).
type accountDesk struct {
	strict bool
	mu     sync.Mutex
	pw     map[int]string // account_id → password
	email  map[int]string
	tokens map[string]int
}

func (d *accountDesk) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	defer d.mu.Unlock()
	reply := func(st int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(st)
		_ = json.NewEncoder(w).Encode(v)
	}
	var in map[string]string
	_ = json.NewDecoder(r.Body).Decode(&in)
	if r.Method == http.MethodPost && r.URL.Path == "/auth" {
		for id, e := range d.email {
			if e == in["email"] && d.pw[id] == in["passwd"] {
				tok := fmt.Sprintf("ad-%d-%d", id, len(d.tokens)*104729+7)
				d.tokens[tok] = id
				reply(http.StatusOK, map[string]string{"access": tok})
				return
			}
		}
		reply(http.StatusUnauthorized, map[string]string{"error": "bad email or passwd"})
		return
	}
	me, ok := d.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	if !ok {
		reply(http.StatusUnauthorized, map[string]string{"error": "token required"})
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/accounts":
		var list []map[string]any
		for id, e := range d.email {
			list = append(list, map[string]any{"account_id": id, "email": e})
		}
		reply(http.StatusOK, map[string]any{"accounts": list})
	case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/accounts/"):
		id, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/accounts/"))
		if id != me {
			reply(http.StatusForbidden, map[string]string{"error": "not your account"})
			return
		}
		if p, ok := in["passwd"]; ok {
			if d.strict && in["current_passwd"] == "" {
				reply(http.StatusBadRequest, map[string]string{"error": "current_passwd required"})
				return
			}
			if d.strict && in["current_passwd"] != d.pw[id] {
				reply(http.StatusForbidden, map[string]string{"error": "current_passwd wrong"})
				return
			}
			d.pw[id] = p
		}
		reply(http.StatusOK, map[string]any{"account_id": id, "email": d.email[id]})
	default:
		reply(http.StatusNotFound, map[string]string{"error": "not found"})
	}
}

// TestPasswordChangeOnOwnPath: a password change whose path names the
// account (PATCH /accounts/{account_id}, no spec body: the handler's
// "passwd" field) is sent on the throwaway identity's own id, learnt from
// the list that shows it, not the example another account's id fills
// (refused 403); a change without the current password is reported, the
// strict twin's is not, and the password is put back.
func TestPasswordChangeOnOwnPath(t *testing.T) {
	for _, strict := range []bool{false, true} {
		desk := &accountDesk{strict: strict, tokens: map[string]int{},
			pw:    map[int]string{41: "ann-passwd-3", 57: "ben-passwd-3"},
			email: map[int]string{41: "ann@example.com", 57: "ben@example.com"}}
		srv := httptest.NewServer(desk)
		u, _ := url.Parse(srv.URL)
		client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second, Retries: 1})
		if err != nil {
			t.Fatal(err)
		}
		inv := &inventory.Inventory{}
		for _, line := range []string{"POST /auth", "GET /accounts", "PATCH /accounts/{account_id}"} {
			ep, err := inventory.ParseEndpoint(line)
			if err != nil {
				t.Fatal(err)
			}
			inv.Add(ep)
		}
		var ids []*identity.Identity
		for _, n := range []string{"ann", "ben"} {
			ids = append(ids, &identity.Identity{Name: n, Throwaway: n == "ben", Login: &identity.Login{Method: "POST", URL: "/auth",
				JSON: identity.Body{"email": n + "@example.com", "passwd": n + "-passwd-3"}, Token: "access"}})
		}
		st := probe.Settings{
			Flows:        probe.Flows{Hints: map[string]string{"PATCH /accounts/{account_id}": probe.RolePasswordChange}},
			SourceBodies: map[string]probe.SourceBody{"PATCH /accounts/{account_id}": {Value: map[string]any{"email": "x@example.com", "passwd": "x"}, Where: "desk.py:30"}},
		}
		out := runComplete(t, Options{Target: u, Client: client, Inventory: inv, Identities: ids, AllowWrites: true, Settings: st})
		srv.Close()
		got := false
		for _, f := range out.Findings {
			if f.Rule == "account.password-change-without-current" {
				got = true
			}
		}
		if got == strict {
			for _, f := range out.Findings {
				t.Logf("strict=%v: %s %s: %s", strict, f.Rule, f.Endpoint, f.Message)
			}
			t.Errorf("strict=%v: password change without the current one reported %v (notes %q)", strict, got, out.Notes)
		}
		desk.mu.Lock()
		if desk.pw[57] != "ben-passwd-3" || desk.pw[41] != "ann-passwd-3" {
			t.Errorf("strict=%v: passwords not put back: %v", strict, desk.pw)
		}
		desk.mu.Unlock()
	}
}
