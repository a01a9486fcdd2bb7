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

// clubAPI: members sign up at POST /club/join {"handle","secret"} and
// get a token from POST /club/token; GET /club/whoami is the caller's own
// record; GET /club/roster lists every member to the steward only (403
// "stewards only" to others); DELETE /club/members/{member_no} removes a
// member, the steward only (open: any member removes any member). The
// config names no role: the steward is learnt from what only it reaches.
type clubAPI struct {
	open    bool
	mu      sync.Mutex
	members map[int][2]string // member_no → handle, secret
	tokens  map[string]int
	removed []string // "who removed whom"
}

func (c *clubAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var in map[string]string
	_ = json.NewDecoder(r.Body).Decode(&in)
	me, authed := c.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	reply := func(st int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(st)
		_ = json.NewEncoder(w).Encode(v)
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/club/join":
		if in["handle"] == "" || in["secret"] == "" {
			reply(http.StatusBadRequest, map[string]string{"error": "handle and secret are required"})
			return
		}
		for _, m := range c.members {
			if m[0] == in["handle"] {
				reply(http.StatusBadRequest, map[string]string{"error": "handle taken"})
				return
			}
		}
		no := 100 + len(c.members) + len(c.removed)
		c.members[no] = [2]string{in["handle"], in["secret"]}
		reply(http.StatusCreated, map[string]any{"member_no": no, "handle": in["handle"]})
	case r.Method == http.MethodPost && r.URL.Path == "/club/token":
		for no, m := range c.members {
			if m[0] == in["handle"] && m[1] == in["secret"] {
				tok := fmt.Sprintf("ct-%d-%d", no, len(c.tokens)*7919+4241)
				c.tokens[tok] = no
				reply(http.StatusOK, map[string]string{"token": tok})
				return
			}
		}
		reply(http.StatusUnauthorized, map[string]string{"error": "bad handle or secret"})
	case !authed || c.members[me][0] == "":
		reply(http.StatusUnauthorized, map[string]string{"error": "token required"})
	case r.Method == http.MethodGet && r.URL.Path == "/club/whoami":
		reply(http.StatusOK, map[string]any{"member_no": me, "handle": c.members[me][0]})
	case r.Method == http.MethodGet && r.URL.Path == "/club/roster":
		if me != 100 {
			reply(http.StatusForbidden, map[string]string{"error": "stewards only"})
			return
		}
		var list []map[string]any
		for no, m := range c.members {
			list = append(list, map[string]any{"member_no": no, "handle": m[0]})
		}
		reply(http.StatusOK, list)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/club/members/"):
		no, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/club/members/"))
		switch {
		case me != 100 && me != no:
			reply(http.StatusForbidden, map[string]string{"error": "not yours"})
		case c.members[no][0] == "":
			reply(http.StatusNotFound, map[string]string{"error": "no such member"})
		default:
			reply(http.StatusOK, map[string]any{"member_no": no, "handle": c.members[no][0]})
		}
	case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/club/members/"):
		no, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/club/members/"))
		switch {
		case me != 100 && !c.open:
			reply(http.StatusForbidden, map[string]string{"error": "stewards only"})
		case c.members[no][0] == "":
			reply(http.StatusNotFound, map[string]string{"error": "no such member"})
		default:
			c.removed = append(c.removed, fmt.Sprintf("%s removed %s", c.members[me][0], c.members[no][0]))
			delete(c.members, no)
			reply(http.StatusOK, map[string]string{"status": "removed"})
		}
	default:
		reply(http.StatusNotFound, map[string]string{"error": "not found"})
	}
}

func scanClub(t *testing.T, open bool) (*Outcome, *clubAPI) {
	t.Helper()
	club := &clubAPI{open: open, members: map[int][2]string{}, tokens: map[string]int{}}
	for _, h := range []string{"steward", "ana", "tom"} {
		club.members[100+len(club.members)] = [2]string{h, h + "-secret-9"}
	}
	srv := httptest.NewServer(club)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	inv := &inventory.Inventory{}
	for _, line := range []string{"POST /club/join", "POST /club/token", "GET /club/whoami", "GET /club/roster",
		"GET /club/members/{member_no}", "DELETE /club/members/{member_no}"} {
		ep, err := inventory.ParseEndpoint(line)
		if err != nil {
			t.Fatal(err)
		}
		inv.Add(ep)
	}
	var ids []*identity.Identity
	for _, h := range []string{"steward", "ana", "tom"} {
		ids = append(ids, &identity.Identity{Name: h, Throwaway: h == "tom", Login: &identity.Login{Method: "POST", URL: "/club/token",
			JSON: identity.Body{"handle": h, "secret": h + "-secret-9"}, Token: "token"}})
	}
	st := probe.Settings{SourceBodies: map[string]probe.SourceBody{
		"POST /club/join": {Value: map[string]any{"handle": "x", "secret": "x"}, Where: "club.py:12"},
	}}
	out := runComplete(t, Options{Target: u, Client: client, Inventory: inv, Identities: ids, AllowWrites: true, Settings: st})
	return out, club
}

// TestLearntAdminDeletesAccounts: with no role in the config, the identity
// alone served the roster is the administrator; the accounts the scan
// made, which cannot delete themselves, are deleted by it (and the result
// says so), and no finding blames the steward's deletes. Where any member
// may remove any member, the scan's account removing another is the
// finding, and the steward still cleans up. The account registered with
// privileged fields reading its own member record is no mass assignment.
func TestLearntAdminDeletesAccounts(t *testing.T) {
	for _, open := range []bool{false, true} {
		out, club := scanClub(t, open)
		if len(out.Accounts) == 0 {
			t.Fatalf("open=%v: no account made (notes %q)", open, out.Notes)
		}
		for _, a := range out.Accounts {
			if a.Name == "account-privileged" {
				continue
			}
			if !strings.HasPrefix(a.State, "deleted") {
				t.Errorf("open=%v: %s %s (removed: %v) notrun %q notes %q", open, a.Name, a.State, club.removed, out.NotRun, out.Notes)
			}
		}
		for _, r := range club.removed {
			for _, h := range []string{"removed steward", "removed ana", "removed tom"} {
				if strings.HasSuffix(r, h) {
					t.Errorf("open=%v: a configured identity was removed: %s", open, r)
				}
			}
		}
		blamed := false
		for _, f := range out.Findings {
			if f.Rule == "authz.mass-assignment" {
				// The join ignores extra fields; a privileged account
				// reading its own member record proves nothing.
				t.Errorf("open=%v: %s", open, f.Message)
			}
			if f.Endpoint == nil || f.Endpoint.Path != "/club/members/{member_no}" {
				continue
			}
			if f.Identity == "steward" {
				t.Errorf("open=%v: the learnt administrator's own role reported: %s %s", open, f.Rule, f.Message)
			}
			if f.Endpoint.Method == http.MethodDelete && (f.Rule == "authz.bola-write" || f.Rule == "authz.bfla") {
				blamed = true
			}
		}
		if blamed != open {
			for _, f := range out.Findings {
				t.Logf("open=%v: %s %s %s: %s", open, f.Rule, f.Endpoint, f.Identity, f.Message)
			}
			t.Errorf("open=%v: a member removing another reported %v", open, blamed)
		}
	}
}
