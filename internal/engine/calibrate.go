package engine

import (
	"context"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"golang.org/x/sync/errgroup"
)

// calibrate sends, per endpoint, one anonymous request and per identity the
// valid credential once: enough to group endpoints by gate. Where checks
// then run in full, completeCalibration adds a malformed credential and the
// valid one again (its variance); members of a gate get only a malformed
// credential, or reuse a refused forgery they were sent anyway.
func (s *Scan) calibrate(ctx context.Context, eps []*inventory.Endpoint) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.opt.Parallel)
	for _, ep := range eps {
		g.Go(func() error {
			anon := s.Send(gctx, ep, nil, identity.Creds{}, nil).Sample
			defer anon.Compact()
			s.mu.Lock()
			s.anon[ep.Key()] = anon
			s.mu.Unlock()
			for _, id := range s.opt.Identities {
				creds, err := id.Creds(gctx, s.session)
				if err != nil {
					s.dropIdentity(id.Name, "its credential could not be obtained: "+err.Error())
					continue
				}
				valid := s.Send(gctx, ep, nil, creds, nil).Sample
				cal := oracle.Calibrate([]*oracle.Sample{valid}, []*oracle.Sample{anon})
				valid.Compact() // kept: a digest and a bounded prefix, not the body
				s.mu.Lock()
				s.cals[key{ep.Key(), id.Name}] = cal
				s.valid[key{ep.Key(), id.Name}] = valid
				s.mu.Unlock()
			}
			return nil
		})
	}
	return g.Wait()
}

// completeCalibration finishes each endpoint's calibration: a malformed
// credential per identity, and, where checks run in full (not on members
// of a gate), the valid credential a second time, so that an endpoint
// whose valid answers vary is not mistaken for a gated one. Members run
// after their representatives: a member that refused none of its forgeries
// borrows its representative's refusal of the malformed credential (the
// two refuse anonymous requests alike and answered the forgeries alike)
// instead of being sent one of its own.
func (s *Scan) completeCalibration(ctx context.Context) {
	s.membersLast(ctx, s.completeOne)
}

// membersLast runs fn on every endpoint, in parallel: first those that are
// no gate's member (the representatives among them), then the members,
// which may use what their representative's run left.
func (s *Scan) membersLast(ctx context.Context, fn func(context.Context, *inventory.Endpoint)) {
	var first, members []*inventory.Endpoint
	for _, ep := range s.eps {
		if s.member(ep) != nil {
			members = append(members, ep)
		} else {
			first = append(first, ep)
		}
	}
	for _, eps := range [][]*inventory.Endpoint{first, members} {
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(s.opt.Parallel)
		for _, ep := range eps {
			g.Go(func() error {
				fn(gctx, ep)
				return nil
			})
		}
		_ = g.Wait()
	}
}

// completeOne completes ep's calibration for every identity.
func (s *Scan) completeOne(ctx context.Context, ep *inventory.Endpoint) {
	gate := s.member(ep)
	anon := s.Anonymous(ep)
	for _, id := range s.opt.Identities {
		k := key{ep.Key(), id.Name}
		creds, err := id.Creds(ctx, s.session)
		if err != nil {
			continue
		}
		s.mu.Lock()
		v1 := s.valid[k]
		bad := s.refusedForgery(ep, id)
		if bad == nil && gate != nil {
			bad = s.malformed[key{gate.Representative().Key(), id.Name}]
		}
		s.mu.Unlock()
		valid := []*oracle.Sample{v1}
		if bad == nil {
			bad = s.Send(ctx, ep, nil, Malformed(creds), nil).Sample
		}
		if gate == nil {
			valid = append(valid, s.Send(ctx, ep, nil, creds, nil).Sample)
		}
		cal := oracle.Calibrate(valid, []*oracle.Sample{anon, bad})
		for _, kept := range append(valid, bad) {
			kept.Compact() // kept for the whole scan: a digest and a bounded prefix
		}
		s.mu.Lock()
		s.cals[k] = cal
		s.malformed[k] = bad
		s.mu.Unlock()
	}
}

// refusedForgery is a member's refused forgery: an invalid
// credential of the identity's kind, as good as a malformed one (caller
// holds mu).
func (s *Scan) refusedForgery(ep *inventory.Endpoint, id *identity.Identity) *oracle.Sample {
	if g := s.gateOf[ep.Key()]; g == nil || g.Representative() == ep {
		return nil
	}
	for _, c := range s.opt.Checks {
		if c.Discriminates == nil || !c.Discriminates.Invalid {
			continue
		}
		if o := s.disc[ep.Key()][c.ID+"|"+id.Name]; o != nil && o.Rejected() {
			return o.Sample
		}
		// Forgeries are sent once per signing key: another identity's
		// refused one is as invalid a credential of the kind.
		for k, o := range s.disc[ep.Key()] {
			rest, ok := strings.CutPrefix(k, c.ID+"|")
			if ok && !strings.Contains(rest, "|") && o != nil && o.Rejected() {
				return o.Sample
			}
		}
	}
	return nil
}

// Malformed replaces every credential value with garbage of the same kind.
func Malformed(c identity.Creds) identity.Creds {
	m := c.Clone()
	if m.Bearer != "" {
		m.Bearer = "authprobe.malformed.token"
	}
	for _, mm := range []map[string]string{m.Headers, m.Query, m.Cookies} {
		for k := range mm {
			mm[k] = "authprobe-invalid-credential"
		}
	}
	return m
}

// expects reports whether an endpoint may check a credential of kind (jwt,
// key, session): true unless the code says the route checks only other
// kinds, so that an API-key identity is not judged on a JWT-only route,
// or none at all (inventory.ExpectsNone: its refusals, a 200 "not found"
// envelope, judge no credential).
func expects(ep *inventory.Endpoint, kind string) bool {
	if len(ep.Expects) == 0 {
		return true
	}
	for _, k := range ep.Expects {
		switch k {
		case "custom", "basic", "jwt-or-key":
			return true
		case "jwt":
			if kind == "jwt" {
				return true
			}
		case "api-key":
			if kind == "key" {
				return true
			}
		case "login":
			if kind == "session" {
				return true
			}
		}
	}
	return false
}
