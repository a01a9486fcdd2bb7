package engine

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// Coverage is what one check family could and could not test.
type Coverage struct {
	Family string
	// Tested counts the endpoints the family got conclusive answers on.
	Tested int
	// Inconclusive counts the endpoints it ran on whose answers were
	// mostly throttling, server errors or timeouts: run, not tested.
	Inconclusive int
	Skipped      []Skip
	// Undecided says why the family could not decide anything at all (no
	// refusal recognised, every write skipped, identities set aside by
	// preflight); empty when it could.
	Undecided string
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
	FamilyWrites = "writes"
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
	ReasonNotSent     = "no write sent (no request body or object known; see warnings)"
	ReasonPreflight   = "identity set aside by preflight"
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
			if sl.Kind != slots.JWT && jwtHeaded(sl.Value) {
				p.jwtish = true
			}
		}
		ps = append(ps, p)
	}
	jwt := Coverage{Family: FamilyJWT}
	keyCov := Coverage{Family: FamilyAPIKey}
	authz := Coverage{Family: FamilyAuthz}
	all := Coverage{Family: FamilyAll}
	for _, w := range writes {
		if ep, err := inventory.ParseEndpoint(w); err == nil {
			all.Skipped = append(all.Skipped, Skip{Endpoint: &ep, Reason: ReasonWrite})
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	gatedAnywhere := 0
	for _, ep := range s.eps {
		var gatedBy []principal
		calibrated := false
		for _, p := range ps {
			cal := s.cals[key{ep.Key(), p.id.Name}]
			if cal == nil {
				continue
			}
			calibrated = true
			if cal.Gated {
				gatedBy = append(gatedBy, p)
			}
		}
		if len(gatedBy) > 0 {
			gatedAnywhere++
		}
		anon := s.anon[ep.Key()]
		if s.timeouts[ep.Key()] >= maxTimeouts {
			all.Skipped = append(all.Skipped, Skip{Endpoint: ep, Reason: ReasonHangs})
			continue
		}
		switch {
		case !calibrated || anon == nil:
			all.Skipped = append(all.Skipped, Skip{Endpoint: ep, Reason: ReasonOutOfBudget})
			continue
		case anon.Status >= 500 && len(gatedBy) == 0:
			all.Skipped = append(all.Skipped, Skip{Endpoint: ep, Reason: Reason5xx})
			continue
		}
		if s.mostlyUnusable(ep) {
			// Run, but answered mostly 429, 5xx or timeouts: not tested.
			all.Inconclusive++
			if len(gatedBy) > 0 {
				authz.Inconclusive++
			}
			for _, p := range gatedBy {
				if p.kinds[slots.JWT] {
					jwt.Inconclusive++
					break
				}
			}
			for _, p := range gatedBy {
				if p.kinds[slots.Key] {
					keyCov.Inconclusive++
					break
				}
			}
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
			keyCov.Tested++
		case s.missingKey(ep, carried):
			keyCov.Skipped = append(keyCov.Skipped, Skip{Endpoint: ep, Reason: ReasonNoKey})
		}
		if len(ps) >= 2 {
			authz.Tested++
		} else {
			authz.Skipped = append(authz.Skipped, Skip{Endpoint: ep, Reason: ReasonNoSecond})
		}
	}
	for _, f := range s.failed {
		authz.Skipped = append(authz.Skipped, Skip{Identity: f.Identity, Reason: ReasonPreflight + ": " + f.Reason})
		authz.Undecided = "identities set aside by preflight"
	}
	writesCov := s.writeCoverage(writes)
	if all.Tested+writesCov.Tested > 0 && gatedAnywhere == 0 && len(ps) > 0 {
		// Requests without credentials were refused somewhere (or the code
		// or spec says a route checks one), and no identity's answer was
		// ever told apart from that refusal (an API of writes alone too).
		if s.refusesAnything() {
			authz.Undecided = "no endpoint's refusal was told apart from an identity's answer"
		} else if c := s.claimsAuth(); c != "" {
			authz.Undecided = "no endpoint told an identity's credential apart from none, though " + c
		}
		// No credential of ours was shown to work: the key and JWT checks had nothing to compare with.
		for _, p := range ps {
			if authz.Undecided != "" && p.kinds[slots.Key] {
				keyCov.Undecided = "no endpoint told an identity's key apart from none (where the key goes, or whether it works, is unknown)"
			}
			if authz.Undecided != "" && p.kinds[slots.JWT] {
				jwt.Undecided = "no endpoint told an identity's token apart from none (where the token goes, or whether it works, is unknown)"
			}
		}
	}
	for _, c := range []*Coverage{&jwt, &keyCov, &authz, &all} {
		if why := s.undecided[c.Family]; why != "" && c.Undecided == "" {
			c.Undecided = why
		}
	}
	var out []Coverage
	listed := map[string]bool{}
	for _, c := range []Coverage{jwt, keyCov, authz, writesCov, all} {
		listed[c.Family] = true
		if c.Tested > 0 || c.Inconclusive > 0 || len(c.Skipped) > 0 || c.Undecided != "" {
			out = append(out, c)
		}
	}
	// A family a check declared undecided that has no line of its own is
	// listed still: dropped, the grade would not hear of it.
	var rest []string
	for f := range s.undecided {
		if !listed[f] {
			rest = append(rest, f)
		}
	}
	sort.Strings(rest)
	for _, f := range rest {
		out = append(out, Coverage{Family: f, Undecided: s.undecided[f]})
	}
	return out
}

// mostlyUnusable: most of an endpoint's answers were throttling, server
// errors that no calibration recognised as a refusal, or timeouts.
func (s *Scan) mostlyUnusable(ep *inventory.Endpoint) bool {
	n := s.epReqs[ep.Key()]
	return n > 0 && 2*s.epUnusable[ep.Key()] > n
}

// refusesAnything: some endpoint refused a request without credentials.
func (s *Scan) refusesAnything() bool {
	for _, a := range s.anon {
		if oracle.Refusal(a) {
			return true
		}
	}
	return false
}

// writeCoverage says which write endpoints got a request (with
// --allow-writes); without it, the "all" family lists them as skipped.
// When every write was skipped, the family could not decide.
func (s *Scan) writeCoverage(notAllowed []string) Coverage {
	c := Coverage{Family: FamilyWrites}
	if !s.opt.AllowWrites || s.opt.Inventory == nil {
		return c
	}
	flows := map[string]bool{}
	for _, f := range s.flows {
		flows[f] = true
	}
	for i := range s.opt.Inventory.Endpoints {
		ep := &s.opt.Inventory.Endpoints[i]
		if safeMethod(ep.Method) || flows[ep.Key()] {
			continue
		}
		switch {
		case s.epReqs[ep.Key()] == 0:
			c.Skipped = append(c.Skipped, Skip{Endpoint: ep, Reason: ReasonNotSent})
		case s.mostlyUnusable(ep):
			c.Inconclusive++
		default:
			c.Tested++
		}
	}
	if c.Tested == 0 && len(c.Skipped) > 0 {
		c.Undecided = "every write was skipped"
	}
	return c
}

// jwtHeaded: a value whose first dot-separated part is a JWT header (a JSON
// object naming an alg or typ) although the whole did not parse as a JWT.
// Two dots alone say nothing: a Flask session cookie
// (payload.timestamp.signature) has them and is no JWT.
func jwtHeaded(v string) bool {
	head, _, ok := strings.Cut(strings.TrimPrefix(v, "Bearer "), ".")
	if !ok || strings.Count(v, ".") < 2 {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(head, "="))
	if err != nil {
		return false
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	_, alg := m["alg"]
	_, typ := m["typ"]
	return alg || typ
}
