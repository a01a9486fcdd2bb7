package accounts

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// answering is a Sender that answers each path with its status (404 when
// absent) and records the paths asked.
func answering(status map[string]int, asked *[]string) Sender {
	return func(_ context.Context, req *httpx.Request) *httpx.Response {
		u, _ := url.Parse(req.URL)
		*asked = append(*asked, u.Path)
		if s, ok := status[u.Path]; ok {
			return &httpx.Response{Status: s}
		}
		return &httpx.Response{Status: http.StatusNotFound}
	}
}

// TestFindRegistration: a validation refusal of an empty body confirms a
// candidate; a 500 confirms it only when the inventory has it and its
// handler's body takes a password (a crash on a missing field), whatever
// its path says: never a common path guessed, a collection of objects, or
// a path named like a registration whose body nothing shows.
func TestFindRegistration(t *testing.T) {
	target, _ := url.Parse("http://127.0.0.1:1/")
	post := func(path string) inventory.Endpoint { return inventory.Endpoint{Method: http.MethodPost, Path: path} }
	cases := []struct {
		name   string
		eps    []inventory.Endpoint
		status map[string]int
		want   string
	}{
		{"validation refusal", nil, map[string]int{"/api/register": 422}, "/api/register"},
		{"registration taking a password crashing", []inventory.Endpoint{post("/signup")}, map[string]int{"/signup": 500}, "/signup"},
		{"a path named a registration whose body is unknown crashing", []inventory.Endpoint{post("/join")}, map[string]int{"/join": 500}, ""},
		{"guessed path crashing", nil, map[string]int{"/register": 500}, ""},
		{"collection of objects crashing", []inventory.Endpoint{post("/api/items")}, map[string]int{"/api/items": 500}, ""},
		{"collection of users taking a password crashing", []inventory.Endpoint{post("/api/members")}, map[string]int{"/api/members": 500}, "/api/members"},
		{"needs a login", []inventory.Endpoint{post("/register")}, map[string]int{"/register": 401}, ""},
	}
	// The handlers' bodies (--source): the registrations read a password,
	// the item collection does not.
	bodies := map[string]map[string]any{
		"POST /signup":      {"username": "", "password": ""},
		"POST /api/members": {"email": "", "password": ""},
		"POST /api/items":   {"name": "", "price": 0},
	}
	bodyOf := func(key string) map[string]any { return bodies[key] }
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var asked []string
			inv := &inventory.Inventory{Endpoints: c.eps}
			r, why := Find(context.Background(), answering(c.status, &asked), FindOptions{Target: target, Inventory: inv, BodyOf: bodyOf})
			switch {
			case c.want == "" && r != nil:
				t.Fatalf("found %s, want none (asked %v)", r.Path, asked)
			case c.want != "" && r == nil:
				t.Fatalf("found none (%s), want %s (asked %v)", why, c.want, asked)
			case c.want != "" && r.Path != c.want:
				t.Fatalf("found %s, want %s", r.Path, c.want)
			case c.want == "" && why == "":
				t.Fatal("no registration and no reason")
			}
		})
	}
}

// TestFindRegistrationNeedingALogin: a user-creating endpoint of the
// inventory that refuses anonymous requests is tried with a member's
// credential and confirmed by its validation refusal; a guessed common
// path that needs a login is not.
func TestFindRegistrationNeedingALogin(t *testing.T) {
	target, _ := url.Parse("http://127.0.0.1:1/")
	send := func(_ context.Context, req *httpx.Request) *httpx.Response {
		u, _ := url.Parse(req.URL)
		if u.Path != "/user" && u.Path != "/register" {
			return &httpx.Response{Status: http.StatusNotFound}
		}
		if req.Header.Get("X-Auth-Token") != "member-token" {
			return &httpx.Response{Status: http.StatusUnauthorized}
		}
		return &httpx.Response{Status: http.StatusBadRequest}
	}
	member := func() (string, identity.Creds, bool) {
		return "tossy", identity.Creds{Headers: map[string]string{"X-Auth-Token": "member-token"}}, true
	}
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{{Method: http.MethodPost, Path: "/user"}}}
	r, why := Find(context.Background(), send, FindOptions{Target: target, Inventory: inv, Member: member})
	if r == nil || r.Path != "/user" || r.As != "tossy" {
		t.Fatalf("Find = %+v (%s), want POST /user as tossy", r, why)
	}
	if req := r.post(map[string]any{"username": "x"}); req.Header.Get("X-Auth-Token") != "member-token" {
		t.Fatalf("registration request lacks the member's credential: %v", req.Header)
	}
	if r, _ := Find(context.Background(), send, FindOptions{Target: target, Inventory: &inventory.Inventory{}, Member: member}); r != nil {
		t.Fatalf("a guessed path needing a login was taken: %s as %s", r.Path, r.As)
	}
}

// TestFindRegistrationByItsRefusal: a POST of the inventory that no word
// or known body names is a registration when its refusal of an empty body
// asks for a user and a password, not when it asks for anything else; a
// login (which asks for the same) is not taken for one.
func TestFindRegistrationByItsRefusal(t *testing.T) {
	target, _ := url.Parse("http://127.0.0.1:1/")
	send := func(_ context.Context, req *httpx.Request) *httpx.Response {
		switch u, _ := url.Parse(req.URL); u.Path {
		case "/api/staff", "/api/login":
			return &httpx.Response{Status: 400, Body: []byte(`{"error": "username and password required"}`)}
		case "/api/notes":
			return &httpx.Response{Status: 400, Body: []byte(`{"error": "title required"}`)}
		}
		return &httpx.Response{Status: http.StatusNotFound}
	}
	post := func(path string) inventory.Endpoint { return inventory.Endpoint{Method: http.MethodPost, Path: path} }
	r, why := Find(context.Background(), send, FindOptions{Target: target, Inventory: &inventory.Inventory{Endpoints: []inventory.Endpoint{post("/api/login"), post("/api/notes"), post("/api/staff")}}})
	if r == nil || r.Path != "/api/staff" {
		t.Fatalf("Find = %+v (%s), want POST /api/staff", r, why)
	}
	if r, _ := Find(context.Background(), send, FindOptions{Target: target, Inventory: &inventory.Inventory{Endpoints: []inventory.Endpoint{post("/api/notes")}}}); r != nil {
		t.Fatalf("a create asking for a title was taken for a registration: %s", r.Path)
	}
}

// TestFindRegistrationNotALoginByItsCode: a login the code shows (an open
// route checking a password: a "login" flow hint) is never taken for a
// registration, whatever its path says, though its refusal of an empty
// body asks for a user and a password as a registration's does; without
// the code, the same path is taken (no word says it logs in).
func TestFindRegistrationNotALoginByItsCode(t *testing.T) {
	target, _ := url.Parse("http://127.0.0.1:1/")
	send := func(_ context.Context, req *httpx.Request) *httpx.Response {
		switch u, _ := url.Parse(req.URL); u.Path {
		case "/api/access", "/api/people":
			return &httpx.Response{Status: 400, Body: []byte(`{"error": "username and password required"}`)}
		}
		return &httpx.Response{Status: http.StatusNotFound}
	}
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{
		{Method: http.MethodPost, Path: "/api/access"}, {Method: http.MethodPost, Path: "/api/people"},
	}}
	code := probe.Flows{Hints: map[string]string{"POST /api/access": "login"}}
	if r, why := Find(context.Background(), send, FindOptions{Target: target, Inventory: inv, Flows: code}); r == nil || r.Path != "/api/people" {
		t.Fatalf("with the code: Find = %+v (%s), want POST /api/people", r, why)
	}
	if r, why := Find(context.Background(), send, FindOptions{Target: target, Inventory: inv}); r == nil || r.Path != "/api/access" {
		t.Fatalf("without the code: Find = %+v (%s), want POST /api/access (the first that asks)", r, why)
	}
}

// TestFindRegistrationBehindA200Refusal: a user-creating endpoint that
// answers an anonymous request 200 {"message": "Token is missing!"} (a
// refusal in a 2xx) is tried with a member's credential, and found when
// the member's empty body crashes the handler that reads a password; a
// 2xx that stays a 2xx for the member is not a registration.
func TestFindRegistrationBehindA200Refusal(t *testing.T) {
	target, _ := url.Parse("http://127.0.0.1:1/")
	member := func() (string, identity.Creds, bool) {
		return "tossy", identity.Creds{Headers: map[string]string{"X-Access-Token": "member-token"}}, true
	}
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{{Method: http.MethodPost, Path: "/users"}}}
	bodyOf := func(key string) map[string]any {
		if key == "POST /users" {
			return map[string]any{"name": "", "password": ""}
		}
		return nil
	}
	for _, c := range []struct {
		name   string
		member int
		want   bool
	}{
		{"member's empty body crashes the handler", http.StatusInternalServerError, true},
		{"member gets a 2xx too", http.StatusOK, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			send := func(_ context.Context, req *httpx.Request) *httpx.Response {
				u, _ := url.Parse(req.URL)
				if u.Path != "/users" {
					return &httpx.Response{Status: http.StatusNotFound}
				}
				if req.Header.Get("X-Access-Token") != "member-token" {
					return &httpx.Response{Status: http.StatusOK, Body: []byte(`{"message": "Token is missing!"}`)}
				}
				return &httpx.Response{Status: c.member}
			}
			r, why := Find(context.Background(), send, FindOptions{Target: target, Inventory: inv, BodyOf: bodyOf, Member: member})
			if got := r != nil && r.Path == "/users" && r.As == "tossy"; got != c.want {
				t.Fatalf("Find = %+v (%s), want found as tossy: %v", r, why, c.want)
			}
		})
	}
}

// TestFindRegistrationRefusingTheBodyWith401: an endpoint of the
// inventory that answers an empty body 401 or 403 asking for a user and a
// password refuses the body, not the caller: it is the registration, used
// anonymously (no member's credential sent). A 401 that asks for a token
// or a key (the twins) still needs a login, and a member's 401 does not
// confirm it: not found.
func TestFindRegistrationRefusingTheBodyWith401(t *testing.T) {
	target, _ := url.Parse("http://127.0.0.1:1/")
	member := func() (string, identity.Creds, bool) {
		return "tossy", identity.Creds{Headers: map[string]string{"Authorization": "Bearer member-token"}}, true
	}
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{{Method: http.MethodPost, Path: "/auth/register"}}}
	for _, c := range []struct {
		name   string
		status int
		body   string
		want   bool
	}{
		{"401 asking for an e-mail and a password (JSON)", 401, `{"status": "fail", "message": "Please provide an email and a password."}`, true},
		{"403 asking for a user name and a password (text)", 403, `username and password are required`, true},
		{"401 asking for a token", 401, `{"msg": "Missing Authorization Header"}`, false},
		{"401 asking for an API key", 401, `{"error": "invalid api key"}`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var members int
			send := func(_ context.Context, req *httpx.Request) *httpx.Response {
				if u, _ := url.Parse(req.URL); u.Path != "/auth/register" {
					return &httpx.Response{Status: http.StatusNotFound}
				}
				if req.Header.Get("Authorization") != "" {
					members++
				}
				return &httpx.Response{Status: c.status, Body: []byte(c.body)}
			}
			r, why := Find(context.Background(), send, FindOptions{Target: target, Inventory: inv, Member: member})
			if got := r != nil && r.Path == "/auth/register"; got != c.want {
				t.Fatalf("Find = %+v (%s), want found: %v", r, why, c.want)
			}
			if c.want && (r.As != "" || members != 0) {
				t.Fatalf("found as %q after %d requests with a member's credential, want anonymous", r.As, members)
			}
		})
	}
}
