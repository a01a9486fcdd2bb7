package principal

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

func jwtWith(claims map[string]any) string {
	b, _ := json.Marshal(claims)
	return "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString(b) + ".c2ln"
}

// TestOfLearnsFromLoginTokenAndAnswer: a self is built from the login
// body's user field, the token's identity claims and the login answer's
// record that names it — never from the password.
func TestOfLearnsFromLoginTokenAndAnswer(t *testing.T) {
	id := &identity.Identity{Name: "alice", Login: &identity.Login{JSON: identity.Body{"username": "alice", "password": "pw-secret"}}}
	s := Of(id, identity.Creds{Bearer: jwtWith(map[string]any{"sub": "17", "exp": 1})})
	s.Learn([]byte(`{"user": {"id": 17, "email": "a@example.com", "username": "alice"}, "other": {"id": 99, "email": "b@example.com"}}`), "profile")
	for _, v := range []string{"alice", "17", "a@example.com"} {
		if !s.Has(v) {
			t.Errorf("self lacks %q: %v", v, s.Values())
		}
	}
	for _, v := range []string{"pw-secret", "99", "b@example.com", "1"} {
		if s.Has(v) {
			t.Errorf("self holds %q, which is not alice's: %v", v, s.Values())
		}
	}
}

// TestOfLearnsFromBasicLoginAndIDClaims: a login that buys its token with
// HTTP Basic names the user in its header, and a token's id claim
// (public_id) names it whatever it is called — never a token's, session's
// or client's own id, never the password.
func TestOfLearnsFromBasicLoginAndIDClaims(t *testing.T) {
	id := &identity.Identity{Name: "alice", Login: &identity.Login{URL: "/login",
		Header: map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("alice:pw-secret"))}}}
	tok := jwtWith(map[string]any{"public_id": "5d1f6c2e-8b0a-4f3e-9c7d-2a1b3c4d5e6f", "jti": "tok-1", "client_id": "web", "exp": 1})
	s := Of(id, identity.Creds{Headers: map[string]string{"X-Access-Token": tok}})
	for _, v := range []string{"alice", "5d1f6c2e-8b0a-4f3e-9c7d-2a1b3c4d5e6f"} {
		if !s.Has(v) {
			t.Errorf("self lacks %q: %v", v, s.Values())
		}
	}
	for _, v := range []string{"pw-secret", "tok-1", "web"} {
		if s.Has(v) {
			t.Errorf("self holds %q, which is not alice's: %v", v, s.Values())
		}
	}
	if k := s.Key("alice"); k != "username" {
		t.Errorf("the Basic user name is learnt as %q, want username", k)
	}
}

// TestObjectsAndWhose: owner fields are matched by value; a value two
// identities share decides nothing; nested owner records count.
func TestObjectsAndWhose(t *testing.T) {
	alice, bob := NewSelf("alice"), NewSelf("bob")
	alice.Add("1", "t")
	alice.Add("alice", "t")
	bob.Add("2", "t")
	bob.Add("shared", "t")
	alice.Add("shared", "t")
	body := []byte(`{"notes": [{"id": 10, "user_id": 1, "title": "a"}, {"id": 11, "user_id": 2}, {"id": 12, "owner": "shared"},
		{"id": 13, "author": {"id": 2, "name": "B"}}, {"id": 14, "title": "no owner"}]}`)
	objs := Objects(body)
	if len(objs) != 4 {
		t.Fatalf("objects = %d, want 4: %+v", len(objs), objs)
	}
	want := []string{"alice", "bob", "", "bob"}
	for i, o := range objs {
		got := ""
		if s := Whose(o, []*Self{alice, bob}); s != nil {
			got = s.Name
		}
		if got != want[i] {
			t.Errorf("object %v: owner %q, want %q", o.Fields["id"], got, want[i])
		}
	}
	if ids := objs[0].IDs("note_id"); len(ids) == 0 || ids[0] != "10" {
		t.Errorf("IDs(note_id) = %v, want 10 first", ids)
	}
	if ids := objs[0].IDs("user_id"); len(ids) == 0 || ids[0] != "1" {
		t.Errorf("IDs(user_id) = %v, want the owner field first when the parameter is named after it", ids)
	}
}

func TestClaims(t *testing.T) {
	if c := Claims("Bearer " + jwtWith(map[string]any{"sub": "x"})); c["sub"] != "x" {
		t.Errorf("claims = %v", c)
	}
	for _, v := range []string{"", "abc", "a.b.c", "eyJ.!!.x"} {
		if Claims(v) != nil {
			t.Errorf("Claims(%q) is not nil", v)
		}
	}
}

// TestLoginPathNamesThePrincipal: a login URL that is an instance of a
// route with a placeholder (/shop/v1/{user_id}/login) gives the identity
// that value, keyed by the placeholder's name; a login route without one,
// or one the inventory lacks, gives nothing.
func TestLoginPathNamesThePrincipal(t *testing.T) {
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{
		{Method: "POST", Path: "/shop/v1/{user_id}/login"},
		{Method: "POST", Path: "/login"},
		{Method: "GET", Path: "/shop/v1/{user_id}/orders"},
	}}
	s := NewSelf("ann")
	s.LearnLoginPath(&identity.Login{URL: "/shop/v1/4711/login", JSON: identity.Body{"password": "pw"}}, inv)
	if !s.Has("4711") || s.Key("4711") != "userid" {
		t.Fatalf("self = %v (key %q), want 4711 learnt as user_id", s.Values(), s.Key("4711"))
	}
	for _, l := range []*identity.Login{
		{URL: "/login", JSON: identity.Body{"username": "ann"}},
		{URL: "/shop/v1/4711/orders"},              // a GET route: the login is a POST
		{Method: "POST", URL: "/other/4711/login"}, // no such route
	} {
		s := NewSelf("ann")
		s.LearnLoginPath(l, inv)
		if len(s.Values()) != 0 {
			t.Errorf("login %s: self = %v, want nothing", l.URL, s.Values())
		}
	}
}

// TestFills: a placeholder takes a value of its own name, or a principal's
// id learnt under another name; a generic {id} only a value learnt as id.
func TestFills(t *testing.T) {
	for _, c := range []struct {
		param, key string
		want       bool
	}{
		{"userid", "userid", true}, {"userid", "sub", true}, {"accountid", "id", true},
		{"id", "sub", false}, {"id", "id", true}, {"username", "sub", false}, {"sku", "id", false},
	} {
		if got := Fills(c.param, c.key); got != c.want {
			t.Errorf("Fills(%s, %s) = %v, want %v", c.param, c.key, got, c.want)
		}
	}
}

// TestLearnOwnByName: a record's display name names the identity only in
// an answer shown to be its own (refused to another identity); elsewhere
// a name equal to a login (a role called "admin") teaches nothing.
func TestLearnOwnByName(t *testing.T) {
	body := []byte(`{"member": {"member_id": 7, "name": "Ann", "team": "blue"}}`)
	s := NewSelf("ann")
	s.Add("ann", "login body username")
	s.Learn(body, "GET /roles answer")
	if s.Has("7") {
		t.Fatalf("Learn took 7 from a record named only by its display name: %v", s.Values())
	}
	s.LearnOwn(body, "GET /members/{no} answer")
	if !s.Has("7") || s.Key("7") != "memberid" {
		t.Errorf("LearnOwn: self = %v (key %q), want 7 learnt as member_id", s.Values(), s.Key("7"))
	}
	if s.Has("blue") {
		t.Errorf("LearnOwn took a field that is not an identity field: %v", s.Values())
	}
	other := NewSelf("bob")
	other.Add("bob", "login body username")
	other.LearnOwn(body, "x")
	if other.Has("7") {
		t.Errorf("bob learnt ann's number from a record that does not name him: %v", other.Values())
	}
}

// TestRefusedToOther: an identity's answer is its own when another
// configured identity was refused the same request (401, 403, 404); not
// when the other was served too, nor when only anonymous callers were
// refused, nor when the two requests differ.
func TestRefusedToOther(t *testing.T) {
	cell := func(who, variant string, status int, url string) probe.Cell {
		o := &probe.Outcome{Sample: &oracle.Sample{Status: status}}
		if url != "" {
			o.Request = &httpx.Request{Method: "GET", URL: url}
		}
		return probe.Cell{Key: who, Identity: who, Variant: variant, Outcome: o}
	}
	ann := cell("ann", slots.CellIdentity, 200, "")
	for _, c := range []struct {
		name  string
		cells []probe.Cell
		want  bool
	}{
		{"other refused 403", []probe.Cell{ann, cell("bob", slots.CellIdentity, 403, "")}, true},
		{"other refused 404", []probe.Cell{ann, cell("bob", slots.CellIdentity, 404, "")}, true},
		{"other served", []probe.Cell{ann, cell("bob", slots.CellIdentity, 200, "")}, false},
		{"anonymous refused only", []probe.Cell{ann, cell("", slots.CellAnonymous, 401, ""), cell("bob", slots.CellIdentity, 200, "")}, false},
		{"other's own key variant refused", []probe.Cell{ann, cell("bob", slots.CellBadKey, 403, "")}, false},
		{"different URLs", []probe.Cell{cell("ann", slots.CellIdentity, 200, "http://x/m/1"), cell("bob", slots.CellIdentity, 403, "http://x/m/2")}, false},
	} {
		if got := refusedToOther(c.cells[0], c.cells); got != c.want {
			t.Errorf("%s: refusedToOther = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestOfLearnsBasicKey: an identity whose credential is HTTP Basic itself
// is known by the user name in it, never by the password.
func TestOfLearnsBasicKey(t *testing.T) {
	key := &identity.Identity{Name: "user1"}
	s := Of(key, identity.Creds{Headers: map[string]string{"Authorization": identity.BasicHeader("user1", "password123")}})
	if !s.Has("user1") || s.Has("password123") {
		t.Errorf("Basic credential: %v", s.Values())
	}
}

// TestParamName: a generic id right after a collection of accounts names
// the principal; elsewhere it stays a generic id.
func TestParamName(t *testing.T) {
	t.Parallel()
	cases := map[[2]string]string{
		{"/api/users/{id}", "id"}:                  "userid",
		{"/members/{pk}/password", "pk"}:           "userid",
		{"/api/v2/profiles/{pk}", "pk"}:            "userid",
		{"/api/posts/{id}", "id"}:                  "id",
		{"/users/{id}/posts/{post_id}", "post_id"}: "postid",
		{"/accounts/{account_id}", "account_id"}:   "accountid",
	}
	for in, want := range cases {
		if got := ParamName(in[0], in[1]); got != want {
			t.Errorf("ParamName(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
	}
}
