package accounts

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
)

// uniqueBy is a registration that needs every field of want and refuses a
// value of key it has seen ("User already exists", 400), reading a JSON
// body or a form as form says.
func uniqueBy(key string, want []string, form bool) Sender {
	taken := map[string]bool{}
	return func(_ context.Context, req *httpx.Request) *httpx.Response {
		got := map[string]string{}
		if form {
			v, _ := url.ParseQuery(string(req.Body))
			for k := range v {
				got[k] = v.Get(k)
			}
		} else {
			var m map[string]any
			_ = json.Unmarshal(req.Body, &m)
			for k, v := range m {
				if s, ok := v.(string); ok {
					got[k] = s
				}
			}
		}
		for _, f := range want {
			if got[f] == "" {
				return &httpx.Response{Status: http.StatusBadRequest, Body: []byte(`{"error":"` + f + ` is required"}`)}
			}
		}
		if taken[got[key]] {
			return &httpx.Response{Status: http.StatusBadRequest, Body: []byte(`{"error":"User already exists"}`)}
		}
		taken[got[key]] = true
		return &httpx.Response{Status: http.StatusCreated, Body: []byte(`{"message":"created"}`)}
	}
}

// TestDuplicateReusesEveryName: the second registration of a taken
// account sends every name the first one was registered with, so that a
// registration unique by a field beside the login's user field (an e-mail
// it asked for: quote-apikey's JSON POST /register; alx-user-service's
// form POST /users) answers "taken". Two shapes: JSON unique by e-mail
// while the login names a user, and a form unique by user name while the
// template logs in by e-mail.
func TestDuplicateReusesEveryName(t *testing.T) {
	cases := []struct {
		name string
		r    *Registrar
		send Sender
	}{
		{"json, unique e-mail", &Registrar{Method: http.MethodPost, Path: "/register", URL: "http://127.0.0.1:1/register",
			body: map[string]any{"email": fillEmail}, base: identity.Body{"username": "", "password": ""}, userPath: "username", passPath: "password"},
			uniqueBy("email", []string{"username", "password", "email"}, false)},
		{"form, unique user name", &Registrar{Method: http.MethodPost, Path: "/users", URL: "http://127.0.0.1:1/users", enc: encForm,
			body: map[string]any{"username": fillName}, base: identity.Body{"email": "a@example.com", "password": "x"}, userPath: "email", passPath: "password"},
			uniqueBy("username", []string{"email", "password", "username"}, true)},
	}
	for _, c := range cases {
		acc, resp := c.r.Register(context.Background(), c.send, "fresh", nil)
		if acc == nil {
			t.Fatalf("%s: not registered: %d %s", c.name, resp.Status, resp.Body)
		}
		_, dup := c.r.Duplicate(context.Background(), c.send, acc)
		if dup.Status != http.StatusBadRequest {
			t.Errorf("%s: the duplicate was answered %d %s, want 400 taken", c.name, dup.Status, dup.Body)
		}
	}
}
