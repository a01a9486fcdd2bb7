package engine

import (
	"context"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// Coverage is what one check family could and could not test.
type Coverage struct {
	Family  string
	Tested  int
	Skipped []Skip
}

// Skip is one endpoint (or identity) a family did not test, and why.
type Skip struct {
	Endpoint *inventory.Endpoint // nil for an identity-wide skip
	Identity string
	Reason   string
}

// Coverage families; the core ones decide whether a result may be graded.
const (
	FamilyJWT    = "jwt"
	FamilyAPIKey = "apikey"
	FamilyAuthz  = "authz"
	FamilyAll    = "all"
)

// Reasons a family did not run.
const (
	ReasonNoJWT       = "no usable JWT"
	ReasonNoKey       = "no API key"
	ReasonNoSecond    = "no second identity"
	ReasonWrite       = "write not allowed (--allow-writes)"
	Reason5xx         = "answered 5xx"
	ReasonOutOfBudget = "out of budget"
	ReasonNotGated    = "no identity's credential is checked"
)

// coverage says, per family, on which gated endpoints the checks ran and
// why they did not run elsewhere. Only a skip that left a check undone is
// listed: an API without API keys is not an API-key check skipped.
func (s *Scan) coverage(ctx context.Context, writes []string) []Coverage {
	type principal struct {
		id     *identity.Identity
		kinds  map[string]bool
		places map[string]bool // "header:authorization", "cookie:sid", ...
		jwtish bool            // carries something that looks like a JWT but does not parse
	}
	var ps []principal
	for _, id := range s.opt.Identities {
		c, err := id.Creds(ctx, s.session)
		if err != nil {
			continue
		}
		p := principal{id: id, kinds: map[string]bool{}, places: map[string]bool{}}
		for _, sl := range slots.Of(c, s.opt.Inventory) {
			p.kinds[sl.Kind] = true
			p.places[place(sl)] = true
			if sl.Kind != slots.JWT && strings.Count(sl.Value, ".") >= 2 {
				p.jwtish = true
			}
		}
		ps = append(ps, p)
	}
	jwt := Coverage{Family: FamilyJWT}
	key := Coverage{Family: FamilyAPIKey}
	authz := Coverage{Family: FamilyAuthz}
	all := Coverage{Family: FamilyAll}
	for _, w := range writes {
		if ep, err := inventory.ParseEndpoint(w); err == nil {
			all.Skipped = append(all.Skipped, Skip{Endpoint: &ep, Reason: ReasonWrite})
		}
	}
	for _, ep := range s.eps {
		var gatedBy []principal
		calibrated := false
		for _, p := range ps {
			cal := s.Calibration(ep, p.id)
			if cal == nil {
				continue
			}
			calibrated = true
			if cal.Gated {
				gatedBy = append(gatedBy, p)
			}
		}
		anon := s.Anonymous(ep)
		switch {
		case !calibrated || anon == nil:
			all.Skipped = append(all.Skipped, Skip{Endpoint: ep, Reason: ReasonOutOfBudget})
			continue
		case anon.Status >= 500 && len(gatedBy) == 0:
			all.Skipped = append(all.Skipped, Skip{Endpoint: ep, Reason: Reason5xx})
			continue
		}
		all.Tested++
		if len(gatedBy) == 0 {
			continue // public, or no credential of ours is what it checks
		}
		hasJWT, hasKey, jwtish := false, false, false
		carried := map[string]bool{}
		for _, p := range gatedBy {
			hasJWT = hasJWT || p.kinds[slots.JWT]
			hasKey = hasKey || p.kinds[slots.Key]
			jwtish = jwtish || p.jwtish
			for k := range p.places {
				carried[k] = true
			}
		}
		switch {
		case hasJWT:
			jwt.Tested++
		case jwtish || s.declares(ep, "bearer", "JWT"):
			jwt.Skipped = append(jwt.Skipped, Skip{Endpoint: ep, Reason: ReasonNoJWT})
		}
		switch {
		case hasKey:
			key.Tested++
		case s.missingKey(ep, carried):
			key.Skipped = append(key.Skipped, Skip{Endpoint: ep, Reason: ReasonNoKey})
		}
		if len(ps) >= 2 {
			authz.Tested++
		} else {
			authz.Skipped = append(authz.Skipped, Skip{Endpoint: ep, Reason: ReasonNoSecond})
		}
	}
	var out []Coverage
	for _, c := range []Coverage{jwt, key, authz, all} {
		if c.Tested > 0 || len(c.Skipped) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// declares reports whether the spec requires a scheme of type typ (and,
// when format is set, of that bearer format) on the endpoint.
func (s *Scan) declares(ep *inventory.Endpoint, typ, format string) bool {
	if s.opt.Inventory == nil {
		return false
	}
	for _, set := range ep.Security {
		for _, name := range set {
			sc, ok := s.opt.Inventory.Schemes[name]
			if ok && sc.Type == typ && (format == "" || strings.EqualFold(sc.Format, format)) {
				return true
			}
		}
	}
	return false
}

// place names where a slot travels, for matching with a declared scheme.
func place(sl slots.Slot) string {
	if sl.In == slots.Bearer {
		return "header:authorization"
	}
	return sl.In + ":" + strings.ToLower(sl.Name)
}

// missingKey reports whether the spec requires an API key on the endpoint
// in a place none of the identities that get in send anything.
func (s *Scan) missingKey(ep *inventory.Endpoint, carried map[string]bool) bool {
	if s.opt.Inventory == nil {
		return false
	}
	for _, set := range ep.Security {
		for _, name := range set {
			sc, ok := s.opt.Inventory.Schemes[name]
			if ok && sc.Type == "apiKey" && !carried[sc.In+":"+strings.ToLower(sc.Param)] {
				return true
			}
		}
	}
	return false
}
