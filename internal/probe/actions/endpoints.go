package actions

import (
	"net/http"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
	"github.com/authprobe/authprobe/internal/probe/writes"
)

// writeEndpoints are the inventory's POST, PUT and PATCH endpoints, and
// the GETs whose handler reads the object it acts on from a JSON body
// (bodiedRead), less
// the identities' logins and the lifecycle flows (their checks drive
// them). DELETE is left to the write phase, on objects the scan created.
func writeEndpoints(p *probe.Pass) ([]*inventory.Endpoint, []*writes.Target) {
	logins := p.LoginKeys()
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
		case http.MethodGet:
			if !bodiedRead(p, ep) {
				continue
			}
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

// bodiedRead: a GET whose handler reads a JSON body (scan --source), which
// refuses requests without credentials: it names its object in the body
// (GET /taskdone {"task_id": 5}) and may change it, so it is tried here,
// with --allow-writes, as an action.
func bodiedRead(p *probe.Pass, ep *inventory.Endpoint) bool {
	b, ok := p.Settings().SourceReadBodies[ep.Key()]
	if !ok || len(b.Value) == 0 {
		return false
	}
	for _, c := range p.Matrix(ep) {
		if c.Variant == slots.CellAnonymous {
			return c.Verdict() == oracle.Rejected
		}
	}
	return false
}
