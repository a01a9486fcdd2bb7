package actions

import (
	"net/http"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/writes"
)

// writeEndpoints are the inventory's POST, PUT and PATCH endpoints, less
// the identities' logins and the lifecycle flows (their checks drive
// them). DELETE is left to the write phase, on objects the scan created.
func writeEndpoints(p *probe.Pass) ([]*inventory.Endpoint, []*writes.Target) {
	logins := loginKeys(p)
	inv := p.Inventory()
	reserved := func(ep *inventory.Endpoint) bool {
		// The lifecycle checks own password changes (a spec body with a
		// password field): sent as a plain write they change the password.
		return logins[ep.Key()] || probe.Reserved(ep, p.Settings().Flows) || probe.PasswordUpdate(inv, ep)
	}
	// REST collections are the write phase's: it creates its own objects
	// there, attacks them and deletes them; sent here, their items would be
	// the identities' own objects.
	rest := map[string]bool{}
	var creates []*writes.Target
	for _, t := range writes.NewPlan(inv, p.Settings().Bodies, reserved).Targets {
		if !t.Collection() {
			continue // a POST without items is an action, not a collection (RPC writes paired with it are not items)
		}
		if t.Parent == nil {
			creates = append(creates, t)
			rest[t.Create.Key()] = true
		}
		// A nested create (/routes/{route_id}/points/) is probed as an
		// action: its parent's id is filled from what the identity
		// owns and its body learnt from the answers, where a create
		// probe would post to an example parent.
		for m := range t.Item {
			if it := t.StandardItem(m); it != nil {
				rest[it.Key()] = true
			}
		}
	}
	var out []*inventory.Endpoint
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		switch ep.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch:
		default:
			continue
		}
		if reserved(ep) || rest[ep.Key()] {
			continue
		}
		out = append(out, ep)
	}
	return out, creates
}
