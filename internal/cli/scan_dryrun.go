package cli

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/lifecycle"
	"github.com/authprobe/authprobe/internal/probe/writes"
)

// printWritePlan is --dry-run: the writes a scan with --allow-writes would
// send, in order, and the writes it would skip; nothing is sent.
func printWritePlan(s IO, cfg *Config, inv *inventory.Inventory, ids []*identity.Identity, bodies map[string]probe.SourceBody) {
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
		return logins[ep.Key()] || probe.Reserved(ep, cfg.Flows)
	}
	fmt.Fprintln(s.Out, "Write plan (--dry-run: nothing was sent)")
	fmt.Fprintln(s.Out, "  1. reads: every GET, HEAD and OPTIONS check, as without --allow-writes")
	step := 2
	for _, l := range lifecycle.PlanLines(inv, cfg.Flows, ids) {
		fmt.Fprintf(s.Out, "  %d. %s\n", step, l)
		step++
	}
	adminOnly := func(ep *inventory.Endpoint) bool { return writes.AdminOnly(cfg.Policy, ep, owner) }
	pl := writes.NewPlan(inv, cfg.Bodies, reserved)
	pl.FromSource(bodies)
	for _, l := range pl.Lines(owner, other, admin, adminOnly) {
		fmt.Fprintf(s.Out, "  %d. %s\n", step, l)
		step++
	}
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
