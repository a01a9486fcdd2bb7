package scan

import (
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/accounts"
	"github.com/authprobe/authprobe/internal/probe/lifecycle"
	"github.com/authprobe/authprobe/internal/probe/writes"
)

// writePlan is --dry-run: the steps a scan with --allow-writes would take,
// in order — the writes it would send and those it would skip; nothing is
// sent.
func writePlan(st probe.Settings, inv *inventory.Inventory, ids []*identity.Identity) []string {
	owner, other, admin := "(no identity)", "(no second identity: BOLA not tested)", ""
	n := 0
	for _, id := range ids {
		if id.Admin() {
			if admin == "" {
				admin = id.Name
			}
			continue
		}
		switch n {
		case 0:
			owner = id.Name
		case 1:
			other = id.Name
		}
		n++
	}
	logins := map[string]bool{}
	for _, id := range ids {
		if id.Login != nil {
			logins[loginKey(id.Login)] = true
		}
	}
	reserved := func(ep *inventory.Endpoint) bool {
		return logins[ep.Key()] || probe.Reserved(ep, st.Flows) || probe.PasswordUpdate(inv, ep)
	}
	steps := []string{"reads: every GET, HEAD and OPTIONS check, as without --allow-writes"}
	steps = append(steps, lifecycle.PlanLines(inv, st.Flows, ids)...)
	adminOnly := func(ep *inventory.Endpoint) bool { return writes.AdminOnly(st.Policy, ep, owner) }
	pl := writes.NewPlan(inv, st.Bodies, reserved)
	pl.FromSource(st.SourceBodies)
	steps = append(steps, pl.Lines(owner, other, admin, adminOnly)...)
	return append(steps, accounts.PlanLines(inv, st.Flows)...)
}

func loginKey(l *identity.Login) string {
	m := strings.ToUpper(l.Method)
	if m == "" {
		m = "POST"
	}
	path := l.URL
	if u, err := url.Parse(l.URL); err == nil {
		path = u.Path
	}
	return m + " " + path
}
