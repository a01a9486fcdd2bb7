package leak

import (
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

func TestExposed(t *testing.T) {
	own := slots.Of(identity.Creds{Bearer: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln", Headers: map[string]string{"X-API-Key": "pk_live_4f9a1c7e", "X-Short": "abc"}}, nil)
	cases := map[string]bool{
		// The caller's own credentials echoed, raw or JSON-escaped.
		`{"headers":{"Authorization":"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln"}}`: true,
		`{"key":"pk_live_4f9a1c7e"}`: true,
		// Well-known formats.
		`{"aws":"AKIAIOSFODNN7EXAMPLE"}`:                 true,
		`token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789`: true,
		`-----BEGIN RSA PRIVATE KEY-----\nMIIE`:          true,
		`{"stripe":"sk_live_abcdefghijklmnop1234"}`:      true,
		// Redacted echoes, short values, lookalikes.
		`{"headers":{"Authorization":"[redacted]","X-Api-Key":"[redacted]"}}`:         false,
		`{"short":"abc","id":"AKIA123"}`:                                              false,
		`{"hash":"5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"}`: false,
		`{"key":"pk_live_4f9a1c7"}`:                                                   false,
	}
	for body, want := range cases {
		if got := exposed([]byte(body), own) != ""; got != want {
			t.Errorf("exposed(%s) = %v, want %v", body, got, want)
		}
	}
}

func TestLoopback(t *testing.T) {
	for host, want := range map[string]bool{"127.0.0.1": true, "::1": true, "localhost": true, "api.localhost": true, "127.8.0.1": true, "10.0.0.5": false, "api.example.com": false, "": false} {
		if loopback(host) != want {
			t.Errorf("loopback(%q) = %v", host, !want)
		}
	}
}

// TestExposedEscaped: a credential with characters JSON escapes is found in
// its escaped form, and a cookie credential counts as the caller's own.
func TestExposedEscaped(t *testing.T) {
	own := slots.Of(identity.Creds{Cookies: map[string]string{"session": `a/b"c\d-long-enough`}}, nil)
	if got := exposed([]byte(`{"cookie":"a\/b\"c\\d-long-enough"}`), own); got == "" {
		t.Error("escaped credential not found")
	}
	if got := exposed([]byte(`{"cookie":"a/b\"c\\d-long-enough"}`), own); got == "" {
		t.Error("credential escaped without the slash not found")
	}
	if got := exposed([]byte(`{"cookie":"a-b-c-d"}`), own); got != "" {
		t.Errorf("found %q in an unrelated body", got)
	}
}

// TestTelling: identity data is reported when it tells more than a public
// profile by name: an e-mail, an internal id, a role flag; never the value
// the request asked for.
func TestTelling(t *testing.T) {
	alice := principal.NewSelf("alice")
	for _, v := range []string{"alice", "7", "alice@example.com"} {
		alice.Add(v, "test")
	}
	selves := []*principal.Self{alice}
	cases := []struct {
		body, asked string
		want        bool
	}{
		{`{"username": "alice", "bio": "hi"}`, "alice", false},
		{`{"username": "alice", "bio": "hi"}`, "", false},
		{`{"users": [{"username": "alice", "email": "alice@example.com"}]}`, "", true},
		{`{"users": [{"user_id": 7, "username": "alice"}]}`, "", true},
		{`{"id": 7, "username": "alice"}`, "7", false},
		{`{"username": "alice", "is_admin": false}`, "", true},
		// A record's own id equal to alice's is not her data: a product
		// numbered 7 (securecart's GET /products).
		{`[{"id": 7, "name": "widget", "price": 3}]`, "", false},
		{`[{"id": 7, "username": "alice"}]`, "", true},
	}
	for _, c := range cases {
		found, flags := principalValues([]byte(c.body), selves)
		if got := telling(found, flags, c.asked); got != c.want {
			t.Errorf("%s (asked %q): telling = %v, want %v", c.body, c.asked, got, c.want)
		}
	}
}

// TestOwnedData: an answer to a lookup of an identity's internal id whose
// record names that id in an owner field and holds data beside it is the
// identity's own records; a profile of identity fields only, an owner
// named by a public handle, or an id the request did not ask for is not.
func TestOwnedData(t *testing.T) {
	ann := principal.NewSelf("ann")
	ann.Add("4711", "login path user_id")
	ann.Add("ann", "login body username")
	selves := []*principal.Self{ann}
	cases := []struct {
		body  string
		asked []string
		want  string
	}{
		{`{"user_id": "4711", "orders": [{"sku": "A-1"}]}`, []string{"4711"}, "ann"},
		{`{"user_id": "4711", "username": "ann", "email": "a@x"}`, []string{"4711"}, ""},
		{`{"user_id": "4711", "orders": []}`, []string{"4711"}, ""},
		{`{"author": "ann", "title": "public post"}`, []string{"ann"}, ""},
		{`{"user_id": "4711", "orders": [{"sku": "A-1"}]}`, []string{"1"}, ""},
	}
	for _, c := range cases {
		if got, _ := ownedData([]byte(c.body), selves, c.asked); got != c.want {
			t.Errorf("ownedData(%s, asked %v) = %q, want %q", c.body, c.asked, got, c.want)
		}
	}
}

// TestListed: an answer lists configured identities as principals when
// it holds two or more of them as bare names or as records of identity
// fields only; a list of posts by author, or one identity alone, is not
// a directory.
func TestListed(t *testing.T) {
	alice, bobby := principal.NewSelf("alice"), principal.NewSelf("bobby")
	alice.Add("alice", "login body username")
	bobby.Add("bobby", "login body username")
	bobby.Add("7", "GET /me answer id")
	alice.Add("8", "GET /me answer id")
	selves := []*principal.Self{alice, bobby}
	for body, want := range map[string]int{
		`{"results": ["alice", "bobby", "carol"]}`:                                 2,
		`[{"id": 7, "username": "bobby"}, {"id": 8, "username": "alice"}]`:         2,
		`{"page": 1, "members": [{"name": "alice"}, {"uid": 7}]}`:                  2,
		`[{"title": "hi", "author": "alice"}, {"title": "yo", "author": "bobby"}]`: 0,
		`{"results": ["alice"]}`:                                                   0,
		`{"tags": ["news", "sport"]}`:                                              0,
		`[{"id": 7, "name": "books"}, {"id": 8, "name": "toys"}]`:                  0,
	} {
		if got := listed([]byte(body), selves); len(got) != want {
			t.Errorf("listed(%s) = %v, want %d identities", body, got, want)
		}
	}
}

// TestOpenFilter: required text query parameters are sent empty (a
// substring search then matches everyone); numbers, optional ones and
// debug switches are left alone.
func TestOpenFilter(t *testing.T) {
	ep := inventory.Endpoint{Method: "GET", Path: "/api/search", Params: []inventory.Param{
		{Name: "query", In: "query", Type: "string", Example: "test", Required: true},
		{Name: "page", In: "query", Type: "integer", Example: "1", Required: true},
		{Name: "debug", In: "query", Type: "string", Example: "1", Required: true},
		{Name: "sort", In: "query", Type: "string", Example: "x"},
	}}
	open := openFilter(&ep)
	if open == nil {
		t.Fatal("no open filter")
	}
	if got, want := open.Concrete(nil), "/api/search?debug=1&page=1&query="; got != want {
		t.Errorf("open filter = %s, want %s", got, want)
	}
	if openFilter(&inventory.Endpoint{Method: "GET", Path: "/api/users"}) != nil {
		t.Error("an endpoint without text filters got an open filter")
	}
}

// TestEchoedAsSecret: a hashing helper hands the caller's own input back
// in a field named like a secret; a lookup echoing an id does not.
func TestEchoedAsSecret(t *testing.T) {
	helper := []byte(`{"Plaintext Password": "test", "Hashed Password": "$2b$12$abcdefghijklmnopqrstuv"}`)
	if !echoedAsSecret(helper, "test") {
		t.Error("the helper's echo of the input was not seen")
	}
	lookup := []byte(`{"id": "2", "username": "bob", "password_hash": "$2b$12$abcdefghijklmnopqrstuv"}`)
	if echoedAsSecret(lookup, "2") {
		t.Error("an id echoed by a lookup was taken for the caller's own secret input")
	}
	if secretValues(helper) == secretValues([]byte(`{"Plaintext Password": "x", "Hashed Password": "$2b$12$zzzzzzzzzzzzzzzzzzzzzz"}`)) {
		t.Error("different hashes compare equal")
	}
}
