package accounts

import (
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
