package accounts

import (
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// PlanLines are the --dry-run steps of the accounts (what a scan with
// --allow-writes would send; nothing is sent): the registrations, then
// the writes on the accounts' own records, then their deletion.
func PlanLines(inv *inventory.Inventory, flows probe.Flows) []string {
	out := []string{
		"accounts: the registration (spec, source or common paths, each confirmed by a validation refusal of an empty JSON body) registers account-1, account-2 and account-privileged (privileged fields), then account-1's name again (enumeration)",
	}
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		switch ep.Method {
		case http.MethodPut, http.MethodPatch, http.MethodDelete:
		case http.MethodPost:
			if !strings.Contains(ep.Path, "{") {
				continue
			}
		default:
			continue
		}
		role := flows.Role(ep)
		if role != "" && role != probe.RolePasswordChange {
			continue
		}
		out = append(out, ep.Key()+": if it writes an account's own record (its path filled with the account's values, confirmed by the path's GET; or beside a GET answering the account's profile): as another account the scan made on account-2 (read back), as account-1 on itself with fields its record shows (read back); a DELETE last")
	}
	return append(out, "accounts: each account deleted at the end through a DELETE of its own record, as itself, else as an identity with role: admin or the privileged account once its fields are proven to take")
}
