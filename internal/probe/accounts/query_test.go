package accounts

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// queryOnly is a registration that reads its fields from the query string
// only (FastAPI's scalar parameters), refusing as pydantic does: a 422
// locating each missing one in "query". want lists the fields it needs.
func queryOnly(want []string, created *url.Values) Sender {
	return func(_ context.Context, req *httpx.Request) *httpx.Response {
		u, _ := url.Parse(req.URL)
		q := u.Query()
		var missing []string
		for _, f := range want {
			if q.Get(f) == "" {
				missing = append(missing, fmt.Sprintf(`{"loc":["query",%q],"msg":"field required","type":"value_error.missing"}`, f))
			}
		}
		if len(missing) > 0 {
			return &httpx.Response{Status: http.StatusUnprocessableEntity, Body: []byte(`{"detail":[` + strings.Join(missing, ",") + `]}`)}
		}
		*created = q
		return &httpx.Response{Status: http.StatusOK, Body: []byte(`{"message":"created"}`)}
	}
}

// TestRegisterInQuery: a registration whose refusal locates its fields in
// the query string is sent again with them there, the fields it asked for
// beyond the user and password included; the user and password are not
// taken for refused by a length rule. Two shapes: the common default body
// (smartshop's username/password/email) and an e-mail login template.
func TestRegisterInQuery(t *testing.T) {
	cases := []struct {
		name  string
		r     *Registrar
		want  []string
		check string // a field the created account's query must hold
	}{
		{"default body", &Registrar{Method: http.MethodPost, Path: "/register", URL: "http://127.0.0.1:1/register", body: map[string]any{},
			base: identity.Body{"username": "", "password": ""}, userPath: "username", passPath: "password"},
			[]string{"username", "password", "email"}, "email"},
		{"e-mail template", &Registrar{Method: http.MethodPost, Path: "/signup", URL: "http://127.0.0.1:1/signup?src=api", body: map[string]any{},
			base: identity.Body{"email": "a@example.com", "password": "x"}, userPath: "email", passPath: "password"},
			[]string{"email", "password", "full_name"}, "full_name"},
	}
	for _, c := range cases {
		var created url.Values
		acc, resp := c.r.Register(context.Background(), queryOnly(c.want, &created), "fresh", nil)
		if acc == nil {
			t.Fatalf("%s: no account; last answer %d %s", c.name, resp.Status, resp.Body)
		}
		if created.Get(c.check) == "" || created.Get(c.r.userPath) == "" || created.Get(c.r.passPath) == "" {
			t.Errorf("%s: created with %v", c.name, created)
		}
		if c.r.short {
			t.Errorf("%s: a field asked for in the query was taken for a length rule", c.name)
		}
		if strings.Contains(c.r.URL, "src=api") && created.Get("src") != "api" {
			t.Errorf("%s: the URL's own query was lost: %v", c.name, created)
		}
	}
	// A JSON registration whose refusal locates fields in the body stays a
	// JSON one.
	if inQuery([]byte(`{"detail":[{"loc":["body","email"],"msg":"field required"}]}`)) {
		t.Error("a body location taken for the query")
	}
	var raw map[string]any
	if err := json.Unmarshal(queryPost("http://h/r", map[string]any{"a": "b", "n": map[string]any{}}).Body, &raw); err == nil {
		t.Errorf("a query registration carries a body: %v", raw)
	}
}

// TestRegisterAsForm: with identities that log in with a form (no JSON
// login to model accounts on), the registration found is sent as the
// same form, with fresh values; a registration reading a form refuses
// the JSON one. Two shapes: alx-user-service's e-mail form at POST /users
// and a user-name form at /signup with its own field names.
func TestRegisterAsForm(t *testing.T) {
	cases := []struct {
		path, user, pass string
		login            map[string]string
	}{
		{"/users", "email", "password", map[string]string{"email": "alice@example.com", "password": "alice-pw-1"}},
		{"/signup", "login", "passwd", map[string]string{"login": "alice", "passwd": "alice-pw-1", "remember": "1"}},
	}
	for _, c := range cases {
		target, _ := url.Parse("http://127.0.0.1:1/")
		var created url.Values
		send := func(_ context.Context, req *httpx.Request) *httpx.Response {
			u, _ := url.Parse(req.URL)
			if u.Path != c.path {
				return &httpx.Response{Status: http.StatusNotFound}
			}
			form := url.Values{}
			if req.Header.Get("Content-Type") == "application/x-www-form-urlencoded" {
				form, _ = url.ParseQuery(string(req.Body))
			}
			if form.Get(c.user) == "" || form.Get(c.pass) == "" {
				return &httpx.Response{Status: http.StatusBadRequest, Body: []byte(`{"message": "missing ` + c.user + ` or ` + c.pass + `"}`)}
			}
			created = form
			return &httpx.Response{Status: http.StatusOK, Body: []byte(`{"message": "user created"}`)}
		}
		ids := []*identity.Identity{
			{Name: "keyed"},
			{Name: "alice", Login: &identity.Login{URL: "/sessions", Form: c.login}},
		}
		r, why := Find(context.Background(), send, FindOptions{Target: target, Inventory: &inventory.Inventory{}, Identities: ids})
		if r == nil || r.Path != c.path || !r.enc.form() {
			t.Fatalf("%s: Find = %+v (%s), want POST %s as a form", c.path, r, why, c.path)
		}
		acc, resp := r.Register(context.Background(), send, "fresh", nil)
		if acc == nil {
			t.Fatalf("%s: no account: %d %s", c.path, resp.Status, resp.Body)
		}
		if u := created.Get(c.user); u == "" || u == c.login[c.user] || created.Get(c.pass) == c.login[c.pass] {
			t.Errorf("%s: the account reused the template's credentials: %v", c.path, created)
		}
	}
}
