// Package matrix holds the auth matrix: per endpoint, the verdict of every
// credential variant (anonymous, each identity, garbage and forged
// credentials, each credential alone or combined) and the access policy
// those verdicts imply. The engine probes the cells and stores them; this
// package only reads them, so it knows nothing of a scan's state.
package matrix

import (
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

// Row is one endpoint's line of the auth matrix.
type Row struct {
	Endpoint *inventory.Endpoint
	Policy   string
	Matrix   map[string]string
	Requests int
}

// Rows summarises, per endpoint, who got in and the policy that implies.
// cells and reqs are keyed by endpoint key; kinds are the kinds of
// credential each identity presents (see Kinds).
func Rows(eps []*inventory.Endpoint, cells map[string][]probe.Cell, reqs map[string]int, kinds map[string][]string) []Row {
	var rows []Row
	for _, ep := range eps {
		row := Row{Endpoint: ep, Matrix: map[string]string{}, Requests: reqs[ep.Key()]}
		cs := cells[ep.Key()]
		for _, c := range cs {
			row.Matrix[c.Key] = string(c.Verdict())
		}
		row.Policy = InferPolicy(cs, kinds)
		rows = append(rows, row)
	}
	return rows
}

// Kinds are the kinds of credential an identity presents, read from a cell
// where it sent all its credentials; fallback (the calibration-time kind)
// when no such cell exists.
func Kinds(name string, cells map[string][]probe.Cell, inv *inventory.Inventory, fallback string) []string {
	for _, cs := range cells {
		for _, c := range cs {
			if c.Identity == name && c.Variant == slots.CellIdentity {
				return slots.Kinds(slots.Of(c.Creds, inv))
			}
		}
	}
	return []string{fallback}
}

// CredKind names the kind of credential an identity presents.
func CredKind(c identity.Creds) string {
	ks := slots.Kinds(slots.Of(c, nil))
	if len(ks) == 0 {
		return "other"
	}
	return ks[0]
}

// InferPolicy reads an endpoint's policy from its cells: public when
// anonymous requests are served; jwt-and-key when only both credentials
// together get in; role-restricted when an identity is refused with a kind
// of credential that lets another in; else the kinds that get in alone.
func InferPolicy(cells []probe.Cell, kinds map[string][]string) string {
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
