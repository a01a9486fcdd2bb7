package accounts

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// registering answers an empty body with 400 and a body with 201, keeping
// the last body it was sent.
func registering(last *map[string]any) Sender {
	return func(_ context.Context, req *httpx.Request) *httpx.Response {
		var m map[string]any
		_ = json.Unmarshal(req.Body, &m)
		if len(m) == 0 {
			return &httpx.Response{Status: http.StatusBadRequest}
		}
		*last = m
		return &httpx.Response{Status: http.StatusCreated, Body: []byte(`{"id": 7}`)}
	}
}

// TestAccountsLogInLikeTheTemplate: a scan-made account logs in the way the
// configured identity does — with a form, or with an HTTP Basic header
// that buys a token — with the user name and password it was registered
// with; the template's own login is never changed.
func TestAccountsLogInLikeTheTemplate(t *testing.T) {
	target, _ := url.Parse("http://127.0.0.1:1/")
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{{Method: http.MethodPost, Path: "/api/users"}}}
	// The registration's handler reads username, email and password.
	bodyOf := func(key string) map[string]any {
		if key == "POST /api/users" {
			return map[string]any{"username": "", "email": "", "password": ""}
		}
		return nil
	}

	t.Run("basic", func(t *testing.T) {
		basic := &identity.Identity{Name: "alice", Login: &identity.Login{URL: "/api/tokens", Token: "token",
			Header: map[string]string{"Authorization": "Basic YWxpY2U6YWxpY2UtcHctMQ=="}}}
		var sent map[string]any
		send := registering(&sent)
		r, why := Find(context.Background(), send, FindOptions{Target: target, Inventory: inv, BodyOf: bodyOf, Identities: []*identity.Identity{basic}})
		if r == nil {
			t.Fatalf("no registration: %s", why)
		}
		acc, _ := r.Register(context.Background(), send, "account-1", nil)
		if acc == nil || acc.Identity == nil {
			t.Fatalf("account %+v: no login copied from a Basic template", acc)
		}
		req := &http.Request{Header: http.Header{"Authorization": {acc.Identity.Login.Header["Authorization"]}}}
		u, pw, ok := req.BasicAuth()
		// alice has no @: her Basic user name is a user name, so the
		// account's goes in username (not email).
		if !ok || u != acc.User || u != sent["username"] || pw != sent["password"] || pw == "alice-pw-1" {
			t.Errorf("account login Basic %q:%q, registered %v as %q", u, pw, sent, acc.User)
		}
		if acc.Identity.Login.JSON != nil || acc.Identity.Login.URL != "/api/tokens" || acc.Identity.Login.Token != "token" {
			t.Errorf("account login %+v: want the template's, with a Basic header only", acc.Identity.Login)
		}
		if basic.Login.Header["Authorization"] != "Basic YWxpY2U6YWxpY2UtcHctMQ==" {
			t.Error("the template's login was changed")
		}
		// A new password (a cross-account password change) keeps the user.
		l := r.loginAs(acc.Identity.Login, "", "new-pw")
		req.Header.Set("Authorization", l.Header["Authorization"])
		if u2, pw2, _ := req.BasicAuth(); u2 != u || pw2 != "new-pw" {
			t.Errorf("loginAs kept %q:%q, want %q:new-pw", u2, pw2, u)
		}
	})

	t.Run("form", func(t *testing.T) {
		form := &identity.Identity{Name: "alice", Login: &identity.Login{URL: "/login",
			Form: map[string]string{"email": "alice@example.com", "password": "alice-pw-1"}}}
		var sent map[string]any
		send := registering(&sent)
		// The source knows the handler reads JSON (a JSON sign-up beside
		// a form sign-in), as the engine's FormOf tells from its body.
		jsonOf := func(key string) (bool, bool) { return false, key == "POST /api/users" }
		r, why := Find(context.Background(), send, FindOptions{Target: target, Inventory: inv, BodyOf: bodyOf, FormOf: jsonOf, Identities: []*identity.Identity{form}})
		if r == nil {
			t.Fatalf("no registration: %s", why)
		}
		acc, _ := r.Register(context.Background(), send, "account-1", nil)
		if acc == nil || acc.Identity == nil {
			t.Fatalf("account %+v: no login copied from a form template", acc)
		}
		f := acc.Identity.Login.Form
		if f["email"] != sent["email"] || f["password"] != sent["password"] || f["email"] == "alice@example.com" || acc.Identity.Login.JSON != nil {
			t.Errorf("account form login %v, registered %v", f, sent)
		}
		if form.Login.Form["email"] != "alice@example.com" {
			t.Error("the template's login was changed")
		}
	})
}
