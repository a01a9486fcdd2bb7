package accounts

import (
	"fmt"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// TestPlanLines: --dry-run lists the writes that may be on an account's
// own record, never a lifecycle flow or a create, and ends with the
// accounts' deletion.
func TestPlanLines(t *testing.T) {
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{
		{Method: "PUT", Path: "/users/{username}/password"},
		{Method: "DELETE", Path: "/me"},
		{Method: "POST", Path: "/logout"},
		{Method: "POST", Path: "/notes"},
		{Method: "POST", Path: "/users/{id}/avatar"},
		{Method: "GET", Path: "/me"},
	}}
	got := strings.Join(PlanLines(inv, probe.Flows{}), "\n")
	for _, want := range []string{"PUT /users/{username}/password: if it writes", "DELETE /me: if it writes", "POST /users/{id}/avatar: if it writes", "each account deleted at the end"} {
		if !strings.Contains(got, want) {
			t.Errorf("plan lacks %q:\n%s", want, got)
		}
	}
	for _, never := range []string{"POST /logout", "POST /notes", "GET /me"} {
		if strings.Contains(got, never) {
			t.Errorf("plan lists %q:\n%s", never, got)
		}
	}
}

// TestGuessable: a stored account's literal password is tried only when
// anyone would guess it; sample users' own passwords are not.
func TestGuessable(t *testing.T) {
	for _, c := range []struct {
		user, pw string
		want     bool
	}{
		{"testuser", "password", true}, {"JOHN", "1234", true}, {"ops", "ops", true}, {"root", "admin123", true},
		{"ann", "ann-pw-7", false}, {"alice", "alice-pw-1", false}, {"svc", "Tr0ub4dor&3x", false},
	} {
		if got := Guessable(c.user, c.pw); got != c.want {
			t.Errorf("Guessable(%q, %q) = %v, want %v", c.user, c.pw, got, c.want)
		}
	}
}

// TestRoleValues: a flag the body types takes false then true; a role no
// answer names takes small ids (values named by the identities' login
// answers come first: TestRegistrationRoleChosen).
func TestRoleValues(t *testing.T) {
	if got := fmt.Sprint(RoleValues("is_admin", false, nil, nil)); got != "[false true]" {
		t.Errorf("flag: %s", got)
	}
	if got := fmt.Sprint(RoleValues("role", "x", nil, nil)); got != "[1 2 3 4 5 6]" {
		t.Errorf("role: %s", got)
	}
}
