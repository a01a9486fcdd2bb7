package authz

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// refusal is one identity refused (401/403) on a read its credential is
// good for elsewhere: the function, not the login, is what it lacks.
type refusal struct {
	r   row
	who string
	st  int
}

// refusals lists, per gated read, the identities it refuses while they
// are let into some other gated endpoint.
func refusals(rows []row) []refusal {
	inSomewhere := map[string]bool{}
	for _, r := range rows {
		for _, c := range r.in() {
			inSomewhere[c.Identity] = true
		}
	}
	var out []refusal
	for _, r := range rows {
		if !r.refused() {
			continue
		}
		for _, c := range r.cells {
			if c.Variant == slots.CellIdentity && inSomewhere[c.Identity] && c.Outcome != nil && denied(c.Outcome.Sample) {
				out = append(out, refusal{r: r, who: c.Identity, st: c.Outcome.Sample.Status})
			}
		}
	}
	return out
}

// siblings are the write endpoints of a refused read's function that the
// scan may send: POST on its path and on its action sub-paths
// (/reports/export, /reports/{id}/approve). PUT, PATCH and DELETE change an
// object in place, and the scan changes only what it created (the write
// phase); a path parameter is filled only with a value of a throwaway
// identity (see fill).
func siblings(inv *inventory.Inventory, ep *inventory.Endpoint) []*inventory.Endpoint {
	var out []*inventory.Endpoint
	for i := range inv.Endpoints {
		s := &inv.Endpoints[i]
		if s.Method != http.MethodPost {
			continue
		}
		if s.Path == ep.Path || action(ep.Path, s.Path) {
			out = append(out, s)
		}
	}
	return out
}

// fill sets every path parameter of ep to a value a throwaway identity is
// known by (named like the parameter first): what such a request may
// touch is the scan's own. False when some parameter has no such value.
// throwaways returns the throwaway identities' selves (learnt once).
func fill(ep *inventory.Endpoint, throwaways func() []*principal.Self) (*inventory.Endpoint, bool) {
	if !strings.Contains(ep.Path, "{") {
		return ep, true
	}
	selves := throwaways()
	out := ep
	for _, seg := range strings.Split(ep.Path, "/") {
		if !strings.HasPrefix(seg, "{") || !strings.HasSuffix(seg, "}") {
			continue
		}
		name := seg[1 : len(seg)-1]
		v := ""
		for _, s := range selves {
			for _, id := range s.IDs() {
				if v == "" || s.Key(id) == principal.Norm(name) {
					v = id
				}
			}
		}
		if v == "" {
			return nil, false
		}
		out = withValue(out, name, v)
	}
	return out, true
}

// action: sub is path followed by segments of which at least one is a
// literal (an action on the resource, not just an item of it).
func action(path, sub string) bool {
	rest, ok := strings.CutPrefix(sub, strings.TrimRight(path, "/")+"/")
	if !ok {
		return false
	}
	for _, s := range strings.Split(rest, "/") {
		if s != "" && !strings.HasPrefix(s, "{") {
			return true
		}
	}
	return false
}

// runBFLAWrites (--allow-writes) sends the write methods and actions of a
// function a read refused an identity, as that identity: an answer that
// serves it, where an anonymous request is refused, is BFLA by method.
// Roles come from the matrix (who is refused where), not from path words.
func runBFLAWrites(ctx context.Context, p *probe.Pass, rows []row) {
	if !p.AllowWrites() {
		return
	}
	admin := false
	for _, id := range p.Identities() {
		admin = admin || id.Admin()
	}
	throwaways := throwawaySelves(ctx, p)
	done := map[string]bool{}
	for _, rf := range refusals(rows) {
		for _, ep := range siblings(p.Inventory(), rf.r.ep) {
			if ctx.Err() != nil {
				return
			}
			if done[ep.Key()] || p.Proven(ruleBFLAMethod, ep) {
				continue
			}
			if admin && adminLike(ep.Path) {
				// The write phase tries this admin function with the
				// admin's own request first: its authz.bfla is the finding.
				continue
			}
			ep, ok := fill(ep, throwaways)
			if !ok {
				continue
			}
			cell, _ := rf.r.identity(rf.who)
			o := p.Send(ctx, ep, writeRequest(p, ep), cell.Creds, nil)
			o.Label = rf.who + " (refused by " + rf.r.ep.Key() + ")"
			if o.Sample.Unusable() != "" || o.Sample.Status/100 != 2 || failed(o.Sample.Body) || denied(o.Sample) {
				// A 2xx that is itself a refusal (a sign-in page) serves
				// no one.
				continue
			}
			ctl := p.Send(ctx, ep, writeRequest(p, ep), identity.Creds{}, nil)
			ctl.Label = "no credential (control)"
			if !denied(ctl.Sample) || sameAnswer(o.Sample, ctl.Sample) {
				// The identity's answer must be its credential's doing:
				// the anonymous one refused, and not the same page.
				continue
			}
			done[ep.Key()] = true
			report(p, ruleBFLAMethod, ep, rf.who, finding.Confirmed, o,
				fmt.Sprintf("%s serves identity %s (status %d) while %s refuses it (status %d): the role check covers one method of the function only",
					ep.Key(), rf.who, o.Sample.Status, rf.r.ep.Key(), rf.st),
				fmt.Sprintf("%s was refused by %s and served here", rf.who, rf.r.ep.Key()),
				fmt.Sprintf("an anonymous request was refused (status %d)", ctl.Sample.Status))
		}
	}
}

// throwawaySelves returns a function giving the throwaway identities'
// selves, learnt on first use.
func throwawaySelves(ctx context.Context, p *probe.Pass) func() []*principal.Self {
	var selves []*principal.Self
	learnt := false
	return func() []*principal.Self {
		if !learnt {
			learnt = true
			throwaway := map[string]bool{}
			for _, id := range p.Identities() {
				throwaway[id.Name] = id.Throwaway
			}
			for _, s := range principal.Selves(ctx, p.Env) {
				if throwaway[s.Name] {
					selves = append(selves, s)
				}
			}
		}
		return selves
	}
}

// writeRequest is a JSON request for a write endpoint: the body the user
// configured or the spec gives, else an empty object.
func writeRequest(p *probe.Pass, ep *inventory.Endpoint) *httpx.Request {
	var body any = map[string]any{}
	if b, ok := p.Settings().Bodies[ep.Key()]; ok {
		body = b
	} else if b, ok := p.Inventory().Bodies[ep.Key()]; ok && b.Value != nil {
		body = b.Value
	}
	raw, _ := json.Marshal(body)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	return &httpx.Request{Method: ep.Method, URL: p.URL(ep), Header: h, Body: raw}
}

// failed: a 2xx whose body says it did not work ({"error": ...}).
func failed(body []byte) bool {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return false
	}
	for _, k := range []string{"error", "errors"} {
		if v, ok := m[k]; ok && v != nil && v != false {
			return true
		}
	}
	return false
}

// sameAnswer: two answers of one status with the same body.
func sameAnswer(a, b *oracle.Sample) bool {
	return a != nil && b != nil && a.Status == b.Status && bytes.Equal(a.Body, b.Body)
}
