package lifecycle

import (
	"context"
	"net/url"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// ownPath fills the path parameters of an account's own flow (a password
// change at PUT /api/users/{id}) with the values the API knows the
// account by (principal.Selves: its token's sub, the id its own record
// shows), where the inventory's example would name another principal's
// record and be refused (403) as not the caller's. A parameter no value of
// the account fills keeps the example; a configured flow is left as it is.
func ownPath(ctx context.Context, p *probe.Pass, fl *flow, a *account) *flow {
	var ep *inventory.Endpoint
	for i := range p.Inventory().Endpoints {
		e := &p.Inventory().Endpoints[i]
		if e.Method == fl.endpoint.Method && e.Path == fl.endpoint.Path {
			ep = e
		}
	}
	if ep == nil || p.URL(ep) != fl.url {
		return fl // configured, or not an inventory endpoint's URL
	}
	self := principal.Named(principal.Selves(ctx, p.Env), a.id.Name)
	if self == nil {
		return fl
	}

	cp := *ep
	cp.Params = append([]inventory.Param(nil), ep.Params...)
	changed := false
	for i, prm := range cp.Params {
		if prm.In != "path" {
			continue
		}
		for _, v := range self.IDs() {
			if self.FillsParam(principal.Norm(prm.Name), v) {
				cp.Params[i].Example = url.PathEscape(v)
				changed = true
				break
			}
		}
	}
	if !changed {
		return fl
	}
	c := *fl
	c.url = p.URL(&cp)
	return &c
}
