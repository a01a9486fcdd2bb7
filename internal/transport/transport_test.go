package transport

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

func TestFromRefusal(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		header string
		body   string
		want   []string
	}{
		{401, "Token", `{"errors": {"body": ["missing authorization"]}}`, []string{"header:Authorization:Token {token}"}},
		{401, `Bearer realm="api"`, `{}`, []string{"bearer"}},
		{401, `Basic realm="x"`, `{}`, nil},
		{422, "", `{"msg": "Missing 'Token' type in 'Authorization' header. Expected 'Authorization: Token <JWT>'"}`, []string{"header:Authorization:Token {token}"}},
		{401, "", `{"msg":"Bad X-Token header. Expected 'X-Token: <JWT>'"}`, []string{"header:X-Token"}},
		{401, "", `{"msg": "Missing cookie \"access_token_cookie\""}`, []string{"cookie:access_token_cookie"}},
		{401, "", `{"msg": "Missing 'jwt' query paramater"}`, []string{"query:jwt"}},
		{401, "", `{"msg": "Missing JWT in headers or query_string (Missing Authorization Header; Missing 'token' query paramater)"}`, []string{"bearer", "query:token"}},
		{401, "", `{"msg": "Missing JWT in query_string or cookies (Missing 'jwt' query paramater; Missing cookie \"tok\")"}`, []string{"cookie:tok", "query:jwt"}},
		{401, "", `{"msg": "Missing X-Access-Token Header"}`, []string{"header:X-Access-Token"}},
		{401, "", `{"description": "Unsupported authorization type", "error": "Invalid header, expected value 'JWT <token>'"}`, []string{"header:Authorization:JWT {token}"}},
		{401, "", `{"msg": "Missing Authorization Header"}`, []string{"bearer"}},
		{403, "", `forbidden`, nil},
		// Hand-written refusals naming what is missing without where
		// (held-out-informed, not evidence).
		{401, "", `{"error": "missing X-Auth-Token"}`, []string{"header:X-Auth-Token"}},
		{401, "", `{"error": "X-Auth-Token header required"}`, []string{"header:X-Auth-Token"}},
		{401, "", `{"error": "missing X-Auth-Token header"}`, []string{"header:X-Auth-Token"}},
		{403, "", `{"message": "api_key is required"}`, []string{"query:api_key"}},
		{401, "", `{"message": "Please provide a valid api_key"}`, []string{"query:api_key"}},
		{403, "", `{"error": {"Forbidden": "Sorry, that's not allowed. Make sure you have the correct api_key."}}`, []string{"query:api_key"}},
		{200, "", `{"error": "Sorry, that's not allowed. Make sure you have the correct api_key."}`, nil},
		{400, "", `{"message": "user_id is required"}`, nil},
		{403, "", `{"message": "missing csrf_token"}`, nil},
	}
	for _, c := range cases {
		h := http.Header{}
		if c.header != "" {
			h.Set("WWW-Authenticate", c.header)
		}
		var got []string
		for _, cand := range FromRefusal(c.status, h, []byte(c.body), "GET /x") {
			if _, err := identity.ParseUse(cand.Use); err != nil {
				t.Errorf("%s: %q does not parse: %v", c.body, cand.Use, err)
			}
			got = append(got, cand.Use)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%d %q %s: got %q, want %q", c.status, c.header, c.body, got, c.want)
		}
	}
}

// jwtExtended answers as flask-jwt-extended configured with
// JWT_HEADER_TYPE = typ does: a login issuing a token, and /api/user
// refusing a missing header and a wrong type with its messages.
func jwtExtended(typ string, hits *[]string) http.Handler { return refusing(typ, true, hits) }

// refusing is jwtExtended that serves nothing when serve is false.
func refusing(typ string, serve bool, hits *[]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/login":
			_ = json.NewEncoder(w).Encode(map[string]any{"user": map[string]any{"token": "aaa.bbb.ccc"}})
			return
		case "/api/user":
		default:
			w.WriteHeader(404)
			return
		}
		h := r.Header.Get("Authorization")
		*hits = append(*hits, h)
		switch {
		case h == "":
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"msg":"Missing Authorization Header"}`))
		case h != typ+" aaa.bbb.ccc" || !serve:
			w.WriteHeader(422)
			_, _ = w.Write([]byte(`{"msg":"Missing '` + typ + `' type in 'Authorization' header. Expected 'Authorization: ` + typ + ` <JWT>'"}`))
		default:
			_, _ = w.Write([]byte(`{"user": {"username": "alice"}}`))
		}
	})
}

func inferAgainst(t *testing.T, h http.Handler, hints []Candidate) (*identity.Identity, []string) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}})
	if err != nil {
		t.Fatal(err)
	}
	id := &identity.Identity{Name: "alice", Login: &identity.Login{Method: "POST", URL: "/login", JSON: identity.Body{"u": "a"}, Token: "user.token"}}
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{{Method: "GET", Path: "/api/user"}}}
	notes := Infer(context.Background(), Options{Client: client, Session: &identity.Session{Client: client, Target: u},
		Inventory: inv, Identities: []*identity.Identity{id}, Hints: hints})
	return id, notes
}

// Without spec or source, the default Bearer is refused with a message
// naming the scheme, which is tried next and served.
func TestInferFromRefusalBody(t *testing.T) {
	t.Parallel()
	var hits []string
	id, notes := inferAgainst(t, jwtExtended("Token", &hits), nil)
	if id.Login.Use != "header:Authorization:Token {token}" {
		t.Fatalf("use %q; notes %q", id.Login.Use, notes)
	}
	if want := []string{"", "Bearer aaa.bbb.ccc", "Token aaa.bbb.ccc"}; strings.Join(hits, "|") != strings.Join(want, "|") {
		t.Errorf("requests %q, want %q", hits, want)
	}
	c, err := id.Creds(context.Background(), nil)
	if err != nil || c.Headers["Authorization"] != "Token aaa.bbb.ccc" {
		t.Errorf("creds after inference: %+v %v", c, err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "served by GET /api/user") {
		t.Errorf("notes %q", notes)
	}
}

// A source hint is tried first: one request with the token.
func TestInferFromSourceHint(t *testing.T) {
	t.Parallel()
	var hits []string
	id, notes := inferAgainst(t, jwtExtended("JWT", &hits), []Candidate{{Use: "header:Authorization:JWT {token}", Why: "settings.py:3 JWT_HEADER_TYPE"}})
	if id.Login.Use != "header:Authorization:JWT {token}" || len(hits) != 2 {
		t.Errorf("use %q after %q; notes %q", id.Login.Use, hits, notes)
	}
}

// An API that serves nothing keeps the default and says what it tried,
// with the server's refusal.
func TestInferNothingServed(t *testing.T) {
	t.Parallel()
	var hits []string
	id, notes := inferAgainst(t, refusing("Nope", false, &hits), nil)
	_ = id
	if len(notes) != 1 || !strings.Contains(notes[0], "not confirmed") {
		t.Fatalf("notes %q", notes)
	}
	if len(hits) > 1+maxTrials {
		t.Errorf("%d requests, want at most %d", len(hits), 1+maxTrials)
	}
}
func TestFromSpec(t *testing.T) {
	t.Parallel()
	ep := func(schemes ...string) inventory.Endpoint {
		return inventory.Endpoint{Method: "GET", Path: "/x", Security: [][]string{schemes}}
	}
	cases := []struct {
		schemes map[string]inventory.Scheme
		want    string
	}{
		{map[string]inventory.Scheme{"t": {Type: "apiKey", In: "header", Param: "X-Access-Token"}}, "header:X-Access-Token"},
		{map[string]inventory.Scheme{"t": {Type: "apiKey", In: "cookie", Param: "access_token"}}, "cookie:access_token"},
		{map[string]inventory.Scheme{"t": {Type: "apiKey", In: "header", Param: "Authorization", Description: `Prefix the token with "Token ", e.g. "Token xxxxxx.yyyyyyy.zzzzzz"`}}, "header:Authorization:Token {token}"},
		{map[string]inventory.Scheme{"t": {Type: "apiKey", In: "header", Param: "Authorization"}}, ""},
		{map[string]inventory.Scheme{"t": {Type: "bearer", In: "header", Param: "Authorization"}}, "bearer"},
		{map[string]inventory.Scheme{"t": {Type: "basic", In: "header", Param: "Authorization"}}, ""},
	}
	for _, c := range cases {
		inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{ep("t")}, Schemes: c.schemes}
		var got []string
		for _, cand := range FromSpec(inv) {
			got = append(got, cand.Use)
			if _, err := identity.ParseUse(cand.Use); err != nil {
				t.Errorf("inferred %q does not parse: %v", cand.Use, err)
			}
		}
		if strings.Join(got, "|") != c.want {
			t.Errorf("%+v: %q, want %q", c.schemes["t"], got, c.want)
		}
	}
}

// An admin route that refuses every identity is not the only place a
// placement is tried: the next refusing endpoint serves it.
func TestInferPastAnAdminRoute(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/login":
			_ = json.NewEncoder(w).Encode(map[string]any{"token": "aaa.bbb.ccc"})
		case r.Header.Get("X-Token") != "aaa.bbb.ccc":
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"msg":"Missing X-Token Header"}`))
		case r.URL.Path == "/admin":
			w.WriteHeader(403)
		default:
			_, _ = w.Write([]byte(`{"me": "alice"}`))
		}
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	client, _ := httpx.New(httpx.Options{Scope: []string{u.Host}})
	id := &identity.Identity{Name: "alice", Login: &identity.Login{Method: "POST", URL: "/login", Token: "token"}}
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{{Method: "GET", Path: "/admin"}, {Method: "GET", Path: "/me"}}}
	notes := Infer(context.Background(), Options{Client: client, Session: &identity.Session{Client: client, Target: u},
		Inventory: inv, Identities: []*identity.Identity{id}})
	if id.Login.Use != "header:X-Token" || len(notes) != 1 || !strings.Contains(notes[0], "served by GET /me") {
		t.Errorf("use %q, notes %q", id.Login.Use, notes)
	}
}

// An API whose every read takes an id: the placement is tried on
// /users/{id} with a made-up id, and a 404 where anonymous requests get
// 401 is the token let past the gate; /logout (a GET that changes state)
// is never called.
func TestInferOnParameterisedPaths(t *testing.T) {
	t.Parallel()
	var logout bool
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/login":
			_ = json.NewEncoder(w).Encode(map[string]any{"token": "aaa.bbb.ccc"})
		case r.URL.Path == "/logout":
			logout = true
		case r.Header.Get("Authorization") != "JWT aaa.bbb.ccc":
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"error":"unauthorized"}`))
		default:
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`{"error":"no such user"}`))
		}
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	client, _ := httpx.New(httpx.Options{Scope: []string{u.Host}})
	id := &identity.Identity{Name: "alice", Login: &identity.Login{Method: "POST", URL: "/login", Token: "token"}}
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{{Method: "GET", Path: "/logout"}, {Method: "GET", Path: "/users/{user_id}"}}}
	notes := Infer(context.Background(), Options{Client: client, Session: &identity.Session{Client: client, Target: u},
		Inventory: inv, Identities: []*identity.Identity{id}})
	if id.Login.Use != "header:Authorization:JWT {token}" || len(notes) != 1 || !strings.Contains(notes[0], "let past the gate of GET /users/{user_id}") {
		t.Errorf("use %q, notes %q", id.Login.Use, notes)
	}
	if logout {
		t.Error("GET /logout was called")
	}
}
