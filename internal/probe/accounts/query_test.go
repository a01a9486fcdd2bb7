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
