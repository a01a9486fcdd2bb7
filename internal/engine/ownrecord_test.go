package engine

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// TestGuardOwnRecord: a PUT, PATCH or DELETE that names no object (PUT
// /api/me, PATCH /profile) is a write to the sender's own record, not a
// create: a configured identity's (or an anonymous or forged) request is
// kept back with the reason, a throwaway identity's goes and is recorded
// as such, and its answer makes nothing the scan's; a collection-wide one
// (DELETE /items beside /items/{name}) is never sent; a POST naming
// nothing is still a create.
func TestGuardOwnRecord(t *testing.T) {
	s := &Scan{secrets: map[string]string{"tok-alice": "alice", "tok-tossy": "tossy"}, creds: map[string]identity.Creds{}, seen: map[string]bool{}}
	s.opt.Identities = []*identity.Identity{{Name: "alice"}, {Name: "tossy", Throwaway: true}}
	for _, line := range []string{"PATCH /api/me", "PUT /profile", "DELETE /items", "GET /items/{name}", "POST /api/notes"} {
		ep, err := inventory.ParseEndpoint(line)
		if err != nil {
			t.Fatal(err)
		}
		s.eps = append(s.eps, &ep)
	}
	alice, tossy := identity.Creds{Bearer: "tok-alice"}, identity.Creds{Bearer: "tok-tossy"}
	forged := identity.Creds{Bearer: "tok-tossy", Cookies: map[string]string{"session": "made-up"}}
	req := func(m, p string) *httpx.Request {
		return &httpx.Request{Method: m, URL: "http://h" + p, Body: []byte(`{"bio":"x"}`)}
	}
	for _, c := range []struct {
		ep    *inventory.Endpoint
		creds identity.Creds
		who   string
		sent  bool
	}{
		{s.eps[0], alice, "alice", false},
		{s.eps[1], alice, "alice", false},
		{s.eps[0], identity.Creds{}, "anonymous", false},
		{s.eps[0], forged, "tossy (modified)", false},
		{s.eps[0], tossy, "tossy", true},
		{s.eps[1], tossy, "tossy", true},
	} {
		why, create := s.guardWrite(c.ep, req(c.ep.Method, c.ep.Path), c.creds)
		if create {
			t.Errorf("%s by %s taken for a create", c.ep.Key(), c.who)
		}
		if c.sent && why != "" {
			t.Errorf("%s by the throwaway identity kept back: %q", c.ep.Key(), why)
		}
		if !c.sent && !strings.Contains(why, "would change the sender's own record ("+c.who+")") {
			t.Errorf("%s by %s: %q, want it kept back as a write to the sender's own record", c.ep.Key(), c.who, why)
		}
	}
	if !strings.Contains(strings.Join(s.notes, "\n"), "PATCH /api/me names no object: sent as a write to the sender's own record, by tossy (throwaway) only") {
		t.Errorf("the throwaway identity's write to its own record is not recorded: %q", s.notes)
	}
	// A fresh login of an account the scan registered (its token is in no
	// identity's configuration) is that account's own; a configured
	// identity's relogin is not.
	s.throwawaySecrets = map[string]string{}
	s.loggedIn(&identity.Identity{Name: "account-1 (fresh login)", Throwaway: true}, identity.Creds{Bearer: "tok-fresh-1"})
	s.loggedIn(&identity.Identity{Name: "alice"}, identity.Creds{Bearer: "tok-alice-2"})
	if why, _ := s.guardWrite(s.eps[0], req("PATCH", "/api/me"), identity.Creds{Bearer: "tok-fresh-1"}); why != "" {
		t.Errorf("the registered account's fresh login kept back: %q", why)
	}
	if why, _ := s.guardWrite(s.eps[0], req("PATCH", "/api/me"), identity.Creds{Bearer: "tok-alice-2"}); why == "" {
		t.Error("a configured identity's relogin sent a write to its own record")
	}
	if why, _ := s.guardWrite(s.eps[2], req("DELETE", "/items"), tossy); !strings.Contains(why, "would change every object of it") {
		t.Errorf("DELETE /items (a collection with members) by the throwaway identity: %q", why)
	}
	if why, create := s.guardWrite(s.eps[4], req("POST", "/api/notes"), alice); why != "" || !create {
		t.Errorf("POST /api/notes naming nothing: kept back %q, create %v", why, create)
	}
}

// TestGuardCollections: the scan's own ids are keyed by the collection
// they were created in. A note the scan created (7, learnt from the
// create's answer) may be updated through the notes' action path, but the
// same number does not open /api/users/7 or a task named 7 in a body; a
// made-up value opens any; a throwaway account's id (3) opens its own
// record in /api/users, not note 3.
func TestGuardCollections(t *testing.T) {
	tossyTok := base64URL(`{"alg":"HS256","typ":"JWT"}`) + "." + base64URL(`{"sub":"3","username":"tossy"}`) + ".s"
	s := &Scan{secrets: map[string]string{"tok-alice": "alice", tossyTok: "tossy"},
		creds: map[string]identity.Creds{"tossy": {Bearer: tossyTok}}, seen: map[string]bool{}}
	s.opt.Identities = []*identity.Identity{{Name: "alice"}, {Name: "tossy", Throwaway: true}}
	eps := map[string]*inventory.Endpoint{}
	for _, line := range []string{"POST /api/notes/add_note", "PUT /api/notes/update_note/{id}", "PUT /api/users/{id}",
		"POST /deletetask", "DELETE /api/notes/{note_id}"} {
		ep, err := inventory.ParseEndpoint(line)
		if err != nil {
			t.Fatal(err)
		}
		eps[line] = &ep
		s.eps = append(s.eps, &ep)
	}
	alice := identity.Creds{Bearer: "tok-alice"}
	send := func(line, path, body string) string {
		ep := eps[line]
		why, _ := s.guardWrite(ep, &httpx.Request{Method: ep.Method, URL: "http://h" + path, Body: []byte(body)}, alice)
		return why
	}
	s.learnMade("/api/notes/add_note", "http://h/api/notes/add_note", 201, http.Header{}, []byte(`{"note":{"id":7,"user_id":1}}`))
	if why := send("PUT /api/notes/update_note/{id}", "/api/notes/update_note/7", `{"title":"x"}`); why != "" {
		t.Errorf("the scan's note 7 kept back: %q", why)
	}
	if why := send("DELETE /api/notes/{note_id}", "/api/notes/7", ""); why != "" {
		t.Errorf("the scan's note 7 kept back on another notes path: %q", why)
	}
	if why := send("PUT /api/users/{id}", "/api/users/7", `{"role":"x"}`); !strings.Contains(why, "would change id=7 that the scan did not create") {
		t.Errorf("note 7 the scan created opened user 7: %q", why)
	}
	if why := send("POST /deletetask", "/deletetask", `{"task_id":7}`); !strings.Contains(why, "task_id=7") {
		t.Errorf("note 7 the scan created opened task 7: %q", why)
	}
	s.Made("authprobe-x1")
	if why := send("PUT /api/users/{id}", "/api/users/authprobe-x1", `{}`); why != "" {
		t.Errorf("a made-up value kept back: %q", why)
	}
	if why := send("PUT /api/users/{id}", "/api/users/3", `{"bio":"x"}`); why != "" {
		t.Errorf("the throwaway account's own record kept back: %q", why)
	}
	if why := send("PUT /api/notes/update_note/{id}", "/api/notes/update_note/3", `{"title":"x"}`); !strings.Contains(why, "id=3") {
		t.Errorf("the throwaway account's user id 3 opened note 3: %q", why)
	}
}

func base64URL(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
