package probe

import (
	"testing"

	"github.com/authprobe/authprobe/internal/inventory"
)

// TestFlowsRole: the role the code shows wins over the one the path
// suggests, either way; with no hint the path's words decide.
func TestFlowsRole(t *testing.T) {
	t.Parallel()
	f := Flows{Hints: map[string]string{
		"POST /api/session/end": RoleLogout,   // no word says so
		"POST /api/register":    "login",      // the code checks a password
		"POST /api/password":    RoleRegister, // as the code shows it
	}}
	for _, c := range []struct{ key, want string }{
		{"POST /api/session/end", RoleLogout},
		{"POST /api/register", "login"},
		{"POST /api/password", RoleRegister},
		{"POST /api/signup", RoleRegister},
		{"POST /api/logout", RoleLogout},
		{"POST /api/items", ""},
	} {
		ep := inventory.Endpoint{Method: "POST", Path: c.key[len("POST "):]}
		if got := f.Role(&ep); got != c.want {
			t.Errorf("Role(%s) = %q, want %q", c.key, got, c.want)
		}
	}
	ep := inventory.Endpoint{Method: "POST", Path: "/api/session/end"}
	if !Reserved(&ep, f) || Reserved(&inventory.Endpoint{Method: "POST", Path: "/api/items"}, f) {
		t.Error("Reserved does not follow Role")
	}
}

// TestLoginPath: the one login word list, on a path's last segment with
// its separators and case dropped.
func TestLoginPath(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]bool{
		"/api/login": true, "/auth/Sign-In": true, "/signin": true, "/api/v1/logon": true,
		"/api/auth": true, "/authenticate": true, "/oauth/authorize": true, "/api/token": true,
		"/oauth_token": true, "/create_token_v1": true, "/api/sessions": true,
		"/api/items": false, "/api/users": false, "/login/history/{id}": false, "/": false,
		"/api/register": false, "/api/logout": false,
	} {
		if got := LoginPath(path); got != want {
			t.Errorf("LoginPath(%q) = %v, want %v", path, got, want)
		}
	}
}
