package authz

import (
	"context"
	"fmt"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// runWeaker reports endpoints that refuse anonymous requests but open to a
// credential that proves nothing: any value in Authorization: Bearer, or —
// on a route a key identity gets into — a JWT signed with a random key,
// alone. (A forged JWT on a JWT-only route is the JWT checks' concern.)
func runWeaker(ctx context.Context, p *probe.Pass) {
	for _, ep := range p.Endpoints() {
		if ctx.Err() != nil {
			return
		}
		r := rowOf(p, ep)
		if !r.refused() || len(r.in()) == 0 {
			continue
		}
		if c, ok := r.variant(slots.CellGarbage); ok && ok2xx(c.Outcome) {
			proveWeaker(ctx, p, r, c, identity.Creds{Bearer: slots.Garbage()},
				"an Authorization: Bearer header with a garbage value (not a JWT, not any issued token) and no other credential was accepted")
			continue
		}
		c, ok := r.variant(slots.CellForgedJWT)
		if !ok || !ok2xx(c.Outcome) || !keyGetsIn(r) {
			continue
		}
		own, ok := r.identity(c.Identity)
		if !ok {
			continue
		}
		js, ok := slots.First(slots.Of(own.Creds, nil), slots.JWT)
		if !ok {
			continue
		}
		forged, err := slots.ForgedJWT(js.Value)
		if err != nil {
			continue
		}
		proveWeaker(ctx, p, r, c, js.Alone(forged),
			fmt.Sprintf("a JWT signed with a random key (sent in %s, no API key) opened a route that API-key identities use", js))
	}
}

// keyGetsIn: some identity with an API key is let in.
func keyGetsIn(r row) bool {
	for _, c := range r.in() {
		if _, ok := slots.First(slots.Of(c.Creds, nil), slots.Key); ok {
			return true
		}
	}
	return false
}

// proveWeaker reproduces a weak credential with a fresh value and checks
// that no credential at all is still refused.
func proveWeaker(ctx context.Context, p *probe.Pass, r row, c probe.Cell, fresh identity.Creds, msg string) {
	again := p.Send(ctx, r.ep, nil, fresh, c.Ref)
	again.Label = c.Key + " (reproduced)"
	if !ok2xx(again) {
		p.Note(fmt.Sprintf("%s: %s accepted once, not with a fresh value (%s)", r.ep.Key(), c.Key, again.Why))
		return
	}
	ctl := sendAnon(ctx, p, r.ep, c.Ref)
	if !refusedOutcome(ctl) {
		p.Note(fmt.Sprintf("%s: %s accepted, but the request without credentials was not refused on reproduction (%s)", r.ep.Key(), c.Key, status(ctl)))
		return
	}
	report(p, ruleWeaker, r.ep, c.Identity, finding.Confirmed, again, msg,
		fmt.Sprintf("accepted with two different worthless values (%s)", again.Why),
		fmt.Sprintf("the same request without any credential was refused (%s)", status(ctl)))
}
