package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/matrix"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// matrix summarises, per endpoint, who got in and the policy that implies.
func (s *Scan) matrix() []matrix.Row {
	s.mu.Lock()
	defer s.mu.Unlock()
	kinds := map[string][]string{}
	for _, id := range s.opt.Identities {
		kinds[id.Name] = matrix.Kinds(id.Name, s.cells, s.opt.Inventory, s.kinds[id.Name])
	}
	return matrix.Rows(s.eps, s.cells, s.epReqs, kinds)
}

// gateGarbage: when any value in Authorization: Bearer gets in (twice), the
// endpoint does not check bearer credentials, so checks of how it verifies
// them (JWT forgeries) have nothing to test there; the identities that send
// a bearer are no longer calibrated as gated on it. The matrix finding says
// why.
func (r *rowProbe) gateGarbage(ctx context.Context, garbage probe.Cell, ps []principal) {
	o := garbage.Outcome
	if o == nil || !o.Accepted() || !oracle.Served(o.Sample) {
		return
	}
	again := r.s.Send(ctx, r.ep, nil, identity.Creds{Bearer: slots.Garbage()}, garbage.Ref)
	if !again.Accepted() {
		return
	}
	for _, p := range ps {
		if _, ok := firstIn(p.slots, slots.Bearer); ok {
			r.ungate(p, "any value in Authorization: Bearer is accepted, so the bearer credential is not what is checked")
		}
	}
	r.s.Note(fmt.Sprintf("%s: a garbage bearer gets in; bearer-token checks skipped there", r.ep.Key()))
}

// gateIdleJWT: an identity that sends a JWT and another credential, let in
// while its JWT alone is refused, gets in by the other credential; checks of
// how the endpoint verifies JWTs would see every forgery pass with it, so
// the identity is no longer calibrated as gated there.
func (r *rowProbe) gateIdleJWT(ps []principal) {
	for _, p := range ps {
		js, ok := slots.First(p.slots, slots.JWT)
		if !ok || len(p.slots) < 2 || r.refs[p.id.Name] == nil {
			continue
		}
		var alone *probe.Cell
		for i, c := range r.cells {
			if c.Variant == slots.CellOnly && c.Identity == p.id.Name && c.Key == onlyKey(p, js) {
				alone = &r.cells[i]
			}
		}
		if alone == nil || alone.Verdict() != oracle.Rejected {
			continue
		}
		r.ungate(p, fmt.Sprintf("identity %s gets in without its JWT (its JWT alone is refused)", p.id.Name))
	}
}

// ungate marks an identity's calibration on the row's endpoint as not
// gated, so that per-endpoint checks skip it there.
func (r *rowProbe) ungate(p principal, reason string) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	k := key{r.ep.Key(), p.id.Name}
	if cal := r.s.cals[k]; cal != nil && cal.Gated {
		nc := *cal
		nc.Gated = false
		nc.Reason = reason
		r.s.cals[k] = &nc
	}
}

// firstIn returns the first slot sent in a place; an Authorization header
// configured as a header counts as the bearer.
func firstIn(ss []slots.Slot, in string) (slots.Slot, bool) {
	for _, s := range ss {
		if s.In == in || (in == slots.Bearer && s.In == slots.Header && strings.EqualFold(s.Name, "Authorization")) {
			return s, true
		}
	}
	return slots.Slot{}, false
}

// Matrix implements probe.Env.
func (s *Scan) Matrix(ep *inventory.Endpoint) []probe.Cell {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]probe.Cell(nil), s.cells[ep.Key()]...)
}
