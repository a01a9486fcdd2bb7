package ratelimit

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// TestDiscoveredLoginForm: a login the spec takes form-encoded (FastAPI's
// OAuth2 form) is tried form-encoded, with the made-up name and the wrong
// password in its fields; a JSON one stays JSON.
func TestDiscoveredLoginForm(t *testing.T) {
	ep := &inventory.Endpoint{Method: http.MethodPost, Path: "/login"}
	body := identity.Body{"username": "", "password": "", "grant_type": nil, "scope": "", "client_id": nil}
	l := discoveredLogin(ep, body, true)
	if l.JSON != nil || l.Form == nil {
		t.Fatalf("form login built as %+v", l)
	}
	field, ok := secretField(l)
	if !ok || field != "password" {
		t.Fatalf("password field %q %v", field, ok)
	}
	user, ok := userField(l, field)
	if !ok || user != "username" {
		t.Fatalf("user field %q %v", user, ok)
	}
	req := loginRequest(l, http.MethodPost, "http://127.0.0.1:1/login", field, "wrong-pw", user, "nobody-1")
	if ct := req.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Fatalf("Content-Type %q", ct)
	}
	v, err := url.ParseQuery(string(req.Body))
	if err != nil || v.Get("username") != "nobody-1" || v.Get("password") != "wrong-pw" || !v.Has("scope") {
		t.Fatalf("form body %q (%v)", req.Body, err)
	}
	j := discoveredLogin(ep, identity.Body{"client_id": "", "username": "", "password": ""}, false)
	if j.JSON == nil || j.Form != nil {
		t.Fatalf("JSON login built as %+v", j)
	}
	if user, _ := userField(j, "password"); user != "username" {
		t.Fatalf("user field of a JSON login with a client_id: %q", user)
	}
	req = loginRequest(j, http.MethodPost, "http://127.0.0.1:1/login", "password", "wrong-pw", "username", "nobody-1")
	if !strings.Contains(req.Header.Get("Content-Type"), "json") {
		t.Fatalf("JSON login sent as %q", req.Header.Get("Content-Type"))
	}
}

// TestLoginLike: the code's role decides first — a login whatever its
// path says (Mycodo's POST /login_password checks the password), a
// password change the path would call a login is none — then the path.
func TestLoginLike(t *testing.T) {
	code := probe.Flows{Hints: map[string]string{
		"POST /login_password": probe.RoleLogin,
		"POST /api/admin":      probe.RoleLogin,
		"POST /api/auth":       probe.RolePasswordChange,
	}}
	for path, want := range map[string]bool{
		"/login_password": true, "/api/admin": true, "/api/auth": false,
		"/api/token": true, "/api/items": false, "/api/auth/register": false, "/api/password/login": false,
	} {
		ep := &inventory.Endpoint{Method: http.MethodPost, Path: path}
		if got := loginLike(code, ep); got != want {
			t.Errorf("loginLike(%s) = %v, want %v", path, got, want)
		}
	}
	if loginLike(probe.Flows{}, &inventory.Endpoint{Method: http.MethodPost, Path: "/login_password"}) {
		t.Error("without the code, /login_password's password word keeps it out")
	}
}
