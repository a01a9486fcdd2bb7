package engine

import (
	"context"
	"fmt"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/authprobe/authprobe/internal/engine/gates"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// runChecks runs the per-identity checks, then the per-endpoint checks —
// in full on the representatives of the gates and on endpoints outside
// any, confirmed on the other members — then the per-scan checks.
func (s *Scan) runChecks(ctx context.Context) {
	var perID, perEP, perScan []probe.Check
	for _, c := range s.opt.Checks {
		switch c.Scope {
		case probe.PerIdentity:
			perID = append(perID, c)
		case probe.PerEndpoint:
			perEP = append(perEP, c)
		case probe.PerScan:
			perScan = append(perScan, c)
		}
	}
	for _, id := range s.opt.Identities {
		creds, err := id.Creds(ctx, s.session)
		if err != nil {
			if ctx.Err() != nil {
				return // an interrupt is never blamed on an identity
			}
			s.Note(fmt.Sprintf("identity %s: %v", id.Name, err))
			continue
		}
		for _, c := range perID {
			c.Run(ctx, &probe.Pass{Env: s, Identity: id, Creds: creds})
		}
	}
	total := len(s.eps)*len(perEP) + len(perScan)
	var done atomic.Int64
	tick := func() {
		n := int(done.Add(1))
		if s.opt.Progress == nil {
			return
		}
		s.mu.Lock()
		found := len(s.findings)
		s.mu.Unlock()
		s.opt.Progress(Progress{Done: n, Total: total, Requests: s.opt.Client.Requests(), Findings: found})
	}
	var shared, own []probe.Check
	for _, c := range perEP {
		if c.Verifier {
			shared = append(shared, c)
		} else {
			own = append(own, c)
		}
	}
	// Representatives and endpoints outside any gate first, in full; then
	// the members of each gate: the representative's verdicts confirmed,
	// the checks of what a route does with a valid credential in full.
	var first, members []*inventory.Endpoint
	for _, ep := range s.eps {
		if s.member(ep) != nil {
			members = append(members, ep)
		} else {
			first = append(first, ep)
		}
	}
	// Not errgroup.WithContext: its context ends with Wait, and what a
	// check starts for the whole scan (authprobe's key server) must live on
	// to the members' turn.
	run := func(eps []*inventory.Endpoint, do func(context.Context, *inventory.Endpoint)) {
		var g errgroup.Group
		g.SetLimit(s.opt.Parallel)
		for _, ep := range eps {
			g.Go(func() error {
				if ctx.Err() == nil {
					do(ctx, ep)
				}
				return nil
			})
		}
		_ = g.Wait()
	}
	run(first, func(ctx context.Context, ep *inventory.Endpoint) {
		for _, c := range perEP {
			if ctx.Err() != nil {
				return
			}
			s.runOnEndpoint(ctx, c, ep)
			tick()
		}
	})
	run(members, func(ctx context.Context, ep *inventory.Endpoint) {
		if g := s.member(ep); g != nil {
			gates.Confirm(ctx, confirmHost{s}, g, ep, shared, s.opt.Fast)
		}
		for _, c := range own {
			if ctx.Err() != nil {
				return
			}
			s.runOnEndpoint(ctx, c, ep)
		}
		for range perEP {
			tick()
		}
	})
	s.finishFamilies(ctx)
	for _, c := range perScan {
		if ctx.Err() != nil {
			return
		}
		c.Run(ctx, &probe.Pass{Env: newPassEnv(s, nil, false)})
		tick()
	}
}

// runOnEndpoint runs a per-endpoint check once per identity whose credential
// the endpoint gates; the check itself decides whether the identity's
// credentials are the kind it tests, and findings dedupe per endpoint.
func (s *Scan) runOnEndpoint(ctx context.Context, c probe.Check, ep *inventory.Endpoint) {
	for _, id := range s.opt.Identities {
		cal := s.Calibration(ep, id)
		if cal == nil || !cal.Gated {
			continue
		}
		creds, err := id.Creds(ctx, s.session)
		if err != nil {
			continue
		}
		c.Run(ctx, &probe.Pass{Env: newPassEnv(s, ep, false), Endpoint: ep, Identity: id, Creds: creds, Cal: cal})
	}
}
