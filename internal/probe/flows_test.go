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
