package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// Policies an endpoint's matrix can show.
const (
	PolicyPublic         = "public"
	PolicyJWT            = "jwt"
	PolicyKey            = "api-key"
	PolicyJWTOrKey       = "jwt-or-key"
	PolicyJWTAndKey      = "jwt-and-key"
	PolicySession        = "session"
	PolicyRoleRestricted = "role-restricted"
	PolicyUnknown        = "unknown"
)

// matrix summarises, per endpoint, who got in and the policy that implies.
func (s *Scan) matrix() []Row {
	s.mu.Lock()
	defer s.mu.Unlock()
	kinds := map[string][]string{}
	for _, id := range s.opt.Identities {
		kinds[id.Name] = s.idKinds(id)
	}
	var rows []Row
	for _, ep := range s.eps {
		row := Row{Endpoint: ep, Matrix: map[string]string{}, Requests: s.epReqs[ep.Key()]}
		cells := s.cells[ep.Key()]
		for _, c := range cells {
			row.Matrix[c.Key] = string(c.Verdict())
		}
		row.Policy = inferPolicy(cells, kinds)
		rows = append(rows, row)
	}
	return rows
}

// idKinds are the kinds of credential an identity presents (from the
// calibration-time kind when its slots are not known).
func (s *Scan) idKinds(id *identity.Identity) []string {
	for _, cells := range s.cells {
		for _, c := range cells {
			if c.Identity == id.Name && c.Variant == slots.CellIdentity {
				return slots.Kinds(slots.Of(c.Creds, s.opt.Inventory))
			}
		}
	}
	return []string{s.kinds[id.Name]}
}

// inferPolicy reads an endpoint's policy from its cells: public when
// anonymous requests are served; jwt-and-key when only both credentials
// together get in; role-restricted when an identity is refused with a kind
// of credential that lets another in; else the kinds that get in alone.
func inferPolicy(cells []probe.Cell, kinds map[string][]string) string {
	byKey := map[string]probe.Cell{}
	for _, c := range cells {
		byKey[c.Key] = c
	}
	if byKey["anonymous"].Verdict() == oracle.Accepted {
		return PolicyPublic
	}
	in := map[string]bool{}
	var refusedKinds []string
	for _, c := range cells {
		switch c.Variant {
		case slots.CellCombined:
			if c.Verdict() == oracle.Accepted {
				return PolicyJWTAndKey
			}
			continue
		case slots.CellIdentity:
		default:
			continue
		}
		ks := kinds[c.Identity]
		switch {
		case c.Verdict() == oracle.Rejected && c.Outcome.Sample != nil:
			refusedKinds = append(refusedKinds, ks...)
		case c.Verdict() != oracle.Accepted:
		case len(ks) == 1:
			in[ks[0]] = true
		default:
			alone := false
			for _, k := range ks {
				if cellAccepted(cells, c.Identity, k) {
					in[k], alone = true, true
				}
			}
			if !alone && len(ks) > 1 {
				return PolicyJWTAndKey
			}
		}
	}
	for _, k := range refusedKinds {
		if in[k] {
			return PolicyRoleRestricted
		}
	}
	switch {
	case in[slots.JWT] && in[slots.Key]:
		return PolicyJWTOrKey
	case in[slots.JWT]:
		return PolicyJWT
	case in[slots.Key]:
		return PolicyKey
	case in[slots.Session]:
		return PolicySession
	}
	return PolicyUnknown
}

// cellAccepted reports whether an identity's credential of one kind alone
// got in.
func cellAccepted(cells []probe.Cell, id, kind string) bool {
	for _, c := range cells {
		if c.Identity == id && c.Variant == slots.CellOnly && c.Verdict() == oracle.Accepted {
			for _, sl := range slots.Of(c.Creds, nil) {
				if sl.Kind == kind {
					return true
				}
			}
		}
	}
	return false
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

// credKind names the kind of credential an identity presents.
func credKind(c identity.Creds) string {
	ks := slots.Kinds(slots.Of(c, nil))
	if len(ks) == 0 {
		return "other"
	}
	return ks[0]
}
