package lifecycle

import (
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// --dry-run names the flows the checks find without path words: the
// logout at DELETE on the login's path, the reset request that is the
// POST of a reset path with a PUT.
func TestPlanLinesWebFlows(t *testing.T) {
	inv := &inventory.Inventory{}
	for _, s := range []string{"POST /sessions", "DELETE /sessions", "POST /reset_password", "PUT /reset_password", "GET /profile"} {
		ep, err := inventory.ParseEndpoint(s)
		if err != nil {
			t.Fatal(err)
		}
		inv.Endpoints = append(inv.Endpoints, ep)
	}
	ids := []*identity.Identity{{Name: "tossy", Throwaway: true, Login: &identity.Login{Method: "POST", URL: "/sessions",
		Form: map[string]string{"email": "t@example.com", "password": "pw"}}}}
	got := strings.Join(PlanLines(inv, probe.Flows{}, ids), "\n")
	for _, want := range []string{"DELETE /sessions (DELETE on the login's own path) with a token of a fresh login of tossy",
		"POST /reset_password (with /reset_password's PUT or PATCH as the confirmation) on throwaway tossy"} {
		if !strings.Contains(got, want) {
			t.Errorf("plan lacks %q:\n%s", want, got)
		}
	}
}
