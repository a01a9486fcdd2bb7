package lifecycle

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// ownFlow points a flow whose route names an account (PUT
// /api/users/{id}, PATCH /accounts/{account_id}/password) at the
// account's own record: each placeholder takes a value the account is
// known by (its token's sub, its login body, its login answer), not the
// value the reads were calibrated with, which is another identity's as
// often as not (a self-scoped write refuses it with 403). A configured
// flow, a route without placeholders, or one the account's values do not
// all fill is kept as it is.
func ownFlow(p *probe.Pass, fl *flow, a *account, creds identity.Creds) *flow {
	if fl == nil || fl.endpoint == nil || !strings.Contains(fl.endpoint.Path, "{") || configured(p.Settings().Flows, fl.role) != nil {
		return fl
	}
	var ep *inventory.Endpoint
	for i := range p.Inventory().Endpoints {
		e := &p.Inventory().Endpoints[i]
		if e.Method == fl.method && e.Path == fl.endpoint.Path {
			ep = e
			break
		}
	}
	if ep == nil {
		return fl
	}
	self := principal.Of(a.id, creds)
	e := *ep
	e.Params = nil
	for _, q := range ep.Params {
		if q.In != "path" {
			e.Params = append(e.Params, q)
		}
	}
	var set []string
	for _, m := range placeholder.FindAllStringSubmatch(ep.Path, -1) {
		name := m[1]
		v := self.Own(ep.Path, name)
		if v == "" {
			return fl
		}
		e.Params = append(e.Params, inventory.Param{Name: name, In: "path", Type: "string", Example: v, Required: true})
		set = append(set, fmt.Sprintf("{%s} = %q", name, v))
	}
	c := *fl
	c.url = p.URL(&e)
	if c.url != fl.url {
		p.Note(fmt.Sprintf("%s: sent on %s's own record (%s, values it is known by)", fl.endpoint, a.id.Name, strings.Join(set, ", ")))
	}
	return &c
}

var placeholder = regexp.MustCompile(`\{([^{}/]+)\}`)
