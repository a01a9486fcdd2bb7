package engine

import (
	"encoding/base64"
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

// seededBox holds two shapes of write on seeded data, both without an
// ownership check (so that a write phase has something to find on the
// objects it makes): notes updated through an action path (PUT
// /api/notes/update_note/{note_id}, notes-jwt's shape) and tasks deleted
// and updated by a POST naming the task in its body (POST /deletetask
// {"task_id": 1}, tasks-basic's). Objects 1 and 2 are alice's and bob's,
// seeded before the scan.
type seededBox struct {
	mu    sync.Mutex
	notes map[int]map[string]any
	tasks map[int]map[string]any
	n     int
}

var userNo = map[string]int{"alice": 1, "bob": 2}

var seededTokens = map[string]string{"tok-alice-93b1": "alice", "tok-bob-5e27c": "bob"}

func newSeededBox() *seededBox {
	b := &seededBox{notes: map[int]map[string]any{}, tasks: map[int]map[string]any{}, n: 2}
	for i, who := range []string{"alice", "bob"} {
		b.notes[i+1] = map[string]any{"id": i + 1, "title": who + "'s plan", "content": "private", "owner": who, "user_id": i + 1}
		b.tasks[i+1] = map[string]any{"task_id": i + 1, "title": who + "'s chore", "owner": who}
	}
	return b
}

func (b *seededBox) snapshot(ids ...int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, i := range ids {
		n, _ := json.Marshal(b.notes[i])
		t, _ := json.Marshal(b.tasks[i])
		out = append(out, string(n), string(t))
	}
	return strings.Join(out, "\n")
}

func (b *seededBox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	reply := func(st int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(st)
		_ = json.NewEncoder(w).Encode(v)
	}
	var in map[string]any
	_ = json.NewDecoder(r.Body).Decode(&in)
	if r.URL.Path == "/login" && r.Method == http.MethodPost {
		for tok, u := range seededTokens {
			if in["username"] == u && in["password"] == u+"-pw-41" {
				reply(http.StatusOK, map[string]string{"access_token": tok})
				return
			}
		}
		reply(http.StatusUnauthorized, map[string]string{"msg": "bad credentials"})
		return
	}
	who, ok := seededTokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	if !ok {
		reply(http.StatusUnauthorized, map[string]string{"msg": "missing token"})
		return
	}
	num := func(v any) int {
		f, _ := v.(float64)
		return int(f)
	}
	switch p := r.URL.Path; {
	case p == "/api/notes" && r.Method == http.MethodGet:
		reply(http.StatusOK, ownedBy(b.notes, who))
	case p == "/api/notes/add_note" && r.Method == http.MethodPost:
		b.n++
		// The answer names the owner's user id too (alice is user 1,
		// like her note): a reference, not the new note.
		b.notes[b.n] = map[string]any{"id": b.n, "title": in["title"], "content": in["content"], "owner": who, "user_id": userNo[who]}
		reply(http.StatusCreated, map[string]any{"message": "created", "note": b.notes[b.n]})
	case strings.HasPrefix(p, "/api/notes/get_note/") && r.Method == http.MethodGet:
		id, _ := strconv.Atoi(strings.TrimPrefix(p, "/api/notes/get_note/"))
		if n := b.notes[id]; n != nil && n["owner"] == who {
			reply(http.StatusOK, n)
			return
		}
		reply(http.StatusNotFound, map[string]string{"msg": "no note"})
	case strings.HasPrefix(p, "/api/notes/update_note/") && r.Method == http.MethodPut:
		id, _ := strconv.Atoi(strings.TrimPrefix(p, "/api/notes/update_note/"))
		if b.notes[id] == nil {
			reply(http.StatusNotFound, map[string]string{"msg": "no note"})
			return
		}
		for k, v := range in {
			if k == "title" || k == "content" {
				b.notes[id][k] = v
			}
		}
		reply(http.StatusOK, b.notes[id])
	case strings.HasPrefix(p, "/api/notes/delete_note/") && r.Method == http.MethodDelete:
		id, _ := strconv.Atoi(strings.TrimPrefix(p, "/api/notes/delete_note/"))
		delete(b.notes, id)
		reply(http.StatusOK, map[string]string{"message": "deleted"})
	case p == "/tasks" && r.Method == http.MethodGet:
		reply(http.StatusOK, ownedBy(b.tasks, who))
	case p == "/addtask" && r.Method == http.MethodPost:
		b.n++
		b.tasks[b.n] = map[string]any{"task_id": b.n, "title": in["title"], "owner": who}
		reply(http.StatusCreated, map[string]any{"task-id": b.n, "content": in["title"]})
	case (p == "/deletetask" || p == "/updatetask") && b.tasks[num(in["task_id"])] == nil:
		reply(http.StatusNotFound, map[string]string{"msg": "no task"})
	case p == "/deletetask" && r.Method == http.MethodPost:
		delete(b.tasks, num(in["task_id"]))
		reply(http.StatusOK, map[string]string{"message": "deleted"})
	case p == "/updatetask" && r.Method == http.MethodPost:
		if t := b.tasks[num(in["task_id"])]; t != nil && in["title"] != nil {
			t["title"] = in["title"]
		}
		reply(http.StatusOK, map[string]string{"message": "updated"})
	default:
		reply(http.StatusNotFound, map[string]string{"msg": "not found"})
	}
}

func ownedBy(m map[int]map[string]any, who string) []map[string]any {
	var out []map[string]any
	for i := 1; i <= len(m)+100; i++ {
		if o := m[i]; o != nil && o["owner"] == who {
			out = append(out, o)
		}
	}
	return out
}

// TestSeededObjectsUntouched: a full --allow-writes scan leaves the
// configured identities' seeded notes and tasks byte-identical, in both
// shapes (an update through an action path, a POST naming an id in its
// body); what it did not send is listed as not run.
func TestSeededObjectsUntouched(t *testing.T) {
	box := newSeededBox()
	before := box.snapshot(1, 2)
	srv := httptest.NewServer(box)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	inv := &inventory.Inventory{Bodies: map[string]inventory.Body{
		"POST /api/notes/add_note":                {Value: map[string]any{"title": "t", "content": "c"}},
		"PUT /api/notes/update_note/{note_id}":    {Value: map[string]any{"title": "t", "content": "c"}},
		"DELETE /api/notes/delete_note/{note_id}": {},
		"POST /addtask":                           {Value: map[string]any{"title": "t"}},
		"POST /deletetask":                        {Value: map[string]any{"task_id": 1}},
		"POST /updatetask":                        {Value: map[string]any{"task_id": 1, "title": "t"}},
	}}
	for _, line := range []string{"POST /login", "GET /api/notes", "GET /api/notes/get_note/{note_id}", "POST /api/notes/add_note",
		"PUT /api/notes/update_note/{note_id}", "DELETE /api/notes/delete_note/{note_id}",
		"GET /tasks", "POST /addtask", "POST /deletetask", "POST /updatetask"} {
		ep, err := inventory.ParseEndpoint(line)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ep.Params {
			if ep.Params[i].In == "path" {
				ep.Params[i].Example = "1"
			}
		}
		inv.Add(ep)
	}
	var ids []*identity.Identity
	for _, n := range []string{"alice", "bob"} {
		ids = append(ids, &identity.Identity{Name: n, Login: &identity.Login{Method: "POST", URL: "/login",
			JSON: identity.Body{"username": n, "password": n + "-pw-41"}, Token: "access_token"}})
	}
	out := runComplete(t, Options{Target: u, Client: client, Inventory: inv, Identities: ids, AllowWrites: true, Settings: probe.Settings{}})
	if after := box.snapshot(1, 2); after != before {
		t.Errorf("seeded objects changed by the scan:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	// The guard does not hide what the scan's own objects show: the
	// other identity deleting and updating the victim's fresh task.
	var bolaWrite []string
	for _, f := range out.Findings {
		if f.Rule == "authz.bola-write" && f.Endpoint != nil {
			bolaWrite = append(bolaWrite, f.Endpoint.String())
		}
	}
	for _, want := range []string{"POST /deletetask", "POST /updatetask"} {
		if !contains(bolaWrite, want) {
			for _, f := range out.Findings {
				t.Logf("%s %s: %s", f.Rule, f.Endpoint, f.Message)
			}
			t.Errorf("no BOLA write on %s (the scan's own tasks): %v", want, bolaWrite)
		}
	}
	kept := strings.Join(out.NotRun, "\n")
	if !strings.Contains(kept, "POST /deletetask: not sent: would change task_id=1 that the scan did not create") {
		t.Errorf("the kept-back delete of seeded task 1 is not listed as not run:\n%s", kept)
	}
}

// TestNamedObjects: what a state-changing request names, per shape.
func TestNamedObjects(t *testing.T) {
	ep := func(line string) *inventory.Endpoint {
		e, err := inventory.ParseEndpoint(line)
		if err != nil {
			t.Fatal(err)
		}
		return &e
	}
	eps := []*inventory.Endpoint{ep("POST /users/{uid}/notes"), ep("GET /users/{uid}/notes/{nid}")}
	v1 := []*inventory.Endpoint{ep("GET /"), ep("POST /api/v1/sites/"), ep("GET /api/v1/users/me")}
	cases := []struct {
		ep   *inventory.Endpoint
		req  httpx.Request
		want string
	}{
		{ep("PUT /api/notes/update_note/{note_id}"), httpx.Request{Method: "PUT", URL: "http://h/base/api/notes/update_note/1", Body: []byte(`{"title":"x"}`)}, "note_id=1"},
		{ep("POST /deletetask"), httpx.Request{Method: "POST", URL: "http://h/deletetask", Body: []byte(`{"task_id":1}`)}, "task_id=1"},
		{ep("POST /tasks"), httpx.Request{Method: "POST", URL: "http://h/tasks", Body: []byte(`{"project_id":3,"title":"x"}`)}, ""},
		{eps[0], httpx.Request{Method: "POST", URL: "http://h/users/7/notes", Body: []byte(`{"title":"x"}`)}, ""},
		{ep("PATCH /users/{uid}/notes/{nid}"), httpx.Request{Method: "PATCH", URL: "http://h/users/7/notes/9"}, "nid=9"},
		{ep("POST /notes/{id}/archive"), httpx.Request{Method: "POST", URL: "http://h/notes/4/archive"}, "id=4"},
		{ep("DELETE /items"), httpx.Request{Method: "DELETE", URL: "http://h/items?item_id=5"}, "item_id=5"},
		{ep("PUT /api/note"), httpx.Request{Method: "PUT", URL: "http://h/api/note", Body: []byte(`{"note":{"id":"ab-1","text":"x"}}`)}, "id=ab-1"},
		// api_id is a field of the site (batch-3 sites-apitoken's create;
		// seen), not the id of an "api": every route starts /api/v1.
		{ep("POST /api/v1/sites/"), httpx.Request{Method: "POST", URL: "http://h/api/v1/sites/", Body: []byte(`{"domain":"x","api_id":"1"}`)}, ""},
		// Where the routes share no base, a stem in the path still names
		// the object: the guard stays on the safe side.
		{ep("POST /shop/deleteshop"), httpx.Request{Method: "POST", URL: "http://h/shop/deleteshop", Body: []byte(`{"shop_id":2}`)}, "shop_id=2"},
		// A shared base that is itself a route names the collection.
		{ep("POST /tasks/delete"), httpx.Request{Method: "POST", URL: "http://h/tasks/delete", Body: []byte(`{"task_id":2}`)}, "task_id=2"},
	}
	for _, c := range cases {
		var got []string
		all := eps
		switch {
		case strings.HasPrefix(c.ep.Path, "/api/v1/"):
			all = v1
		case strings.HasPrefix(c.ep.Path, "/tasks/"):
			all = []*inventory.Endpoint{ep("GET /tasks"), c.ep}
		}
		for _, n := range namedObjects(c.ep, &c.req, all) {
			got = append(got, fmt.Sprintf("%s=%s", n.name, n.value))
		}
		if strings.Join(got, ",") != c.want {
			t.Errorf("%s %s: named %q, want %q", c.req.Method, c.req.URL, got, c.want)
		}
	}
}

// TestGuardActionPathUpdate: notes-jwt's shape at the guard itself. A
// PUT on a seeded note through an action path is kept back; a create's
// answer makes its note's id the scan's (and not the owner's user_id
// beside it, which is also 1); the update of that note then goes; a
// throwaway identity's request on the seeded note is kept back too.
func TestGuardActionPathUpdate(t *testing.T) {
	s := &Scan{secrets: map[string]string{"tok-alice": "alice", "tok-tossy": "tossy"}, creds: map[string]identity.Creds{}}
	s.opt.Identities = []*identity.Identity{{Name: "alice"}, {Name: "tossy", Throwaway: true}}
	ep, err := inventory.ParseEndpoint("PUT /api/notes/update_note/{id}")
	if err != nil {
		t.Fatal(err)
	}
	alice := identity.Creds{Bearer: "tok-alice"}
	put := func(id string) *httpx.Request {
		return &httpx.Request{Method: "PUT", URL: "http://h/api/notes/update_note/" + id, Body: []byte(`{"title":"x","content":"y"}`)}
	}
	if why, _ := s.guardWrite(&ep, put("1"), alice); !strings.Contains(why, "would change id=1 that the scan did not create") {
		t.Errorf("seeded note 1: %q", why)
	}
	s.learnMade("/api/notes/add_note", "http://h/api/notes/add_note", 201, http.Header{}, []byte(`{"message":"created","note":{"id":7,"user_id":1}}`))
	if why, _ := s.guardWrite(&ep, put("1"), alice); why == "" {
		t.Error("the owner's user_id 1 in a create's answer let seeded note 1 be changed")
	}
	if why, _ := s.guardWrite(&ep, put("7"), alice); why != "" {
		t.Errorf("the scan's own note 7 kept back: %q", why)
	}
	// A throwaway identity may be changed, not change others' objects.
	if why, _ := s.guardWrite(&ep, put("1"), identity.Creds{Bearer: "tok-tossy"}); why == "" {
		t.Error("the throwaway identity changed alice's seeded note")
	}
}

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
