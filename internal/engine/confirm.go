package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/engine/gates"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// confirm carries the representative's verdicts of the shared checks over
// to a member: a technique proven there is confirmed here with its proving
// request (already sent when it was a discriminating probe); a member that
// does not reproduce it gets the check in full.
func (s *Scan) confirm(ctx context.Context, g *gates.Gate, ep *inventory.Endpoint, shared []probe.Check) {
	rep := g.Representative()
	for _, c := range shared {
		for _, rule := range c.Rules {
			if !s.Proven(rule, rep) {
				continue
			}
			if s.confirmedByDiscriminator(ep, c, rule) {
				continue
			}
			if s.opt.Fast && !g.Sampled(ep) {
				s.addPlace(rule, ep, "", nil, false)
				continue
			}
			if s.replay(ctx, rep, ep, rule) {
				continue
			}
			s.Note(fmt.Sprintf("%s: %s proven on %s, a member of its gate, was not reproduced with the same request; %s checked on its own",
				ep.Key(), rule, rep.Key(), c.ID))
			s.runOnEndpoint(ctx, c, ep)
			break
		}
	}
}

// confirmedByDiscriminator: the member already answered the check's first
// request as the representative did, and that request proves the rule.
func (s *Scan) confirmedByDiscriminator(ep *inventory.Endpoint, c probe.Check, rule string) bool {
	s.mu.Lock()
	answers := s.disc[ep.Key()]
	s.mu.Unlock()
	for k, o := range answers {
		cid, idName, _ := strings.Cut(k, "|")
		if strings.Contains(idName, "|") {
			continue
		}
		if cid != c.ID || o == nil || !o.Accepted() || rule != c.ID {
			continue
		}
		s.addPlace(rule, ep, idName, o, true)
		return true
	}
	return false
}

// replay sends the representative's proving request to the member.
func (s *Scan) replay(ctx context.Context, rep, ep *inventory.Endpoint, rule string) bool {
	s.mu.Lock()
	r := s.roots[s.rootKeyFor(rule, rep)]
	s.mu.Unlock()
	if r == nil || r.proof == nil {
		return false
	}
	var id *identity.Identity
	for _, i := range s.opt.Identities {
		if i.Name == r.identity {
			id = i
		}
	}
	if id == nil {
		return false
	}
	cal := s.Calibration(ep, id)
	if cal == nil || !cal.Gated {
		return false
	}
	o := s.Send(ctx, ep, nil, r.proof.creds, cal)
	if o.Verdict != oracle.Accepted {
		return false
	}
	s.addPlace(rule, ep, id.Name, o, true)
	return true
}

// addPlace records an instance of the root cause of rule seen at ep, with
// the request that proved it there (o; nil when inferred from the gate).
func (s *Scan) addPlace(rule string, ep *inventory.Endpoint, idName string, o *probe.Outcome, confirmed bool) {
	in := finding.Instance{Endpoint: &finding.Endpoint{Method: ep.Method, Path: ep.Path}, Identity: idName, Confirmed: confirmed}
	if o != nil && o.Sample != nil {
		in.Status = o.Sample.Status
	}
	if o != nil && o.Request != nil {
		in.Curl = s.Redactor().Curl(o.Request)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.roots[s.rootKeyFor(rule, ep)]
	if r == nil {
		return
	}
	s.proven[provenKey(rule, in.Endpoint)] = true
	addInstance(&s.findings[r.idx], in)
}

// rootKeyFor is rootKey of a finding of rule at ep (caller holds mu).
func (s *Scan) rootKeyFor(rule string, ep *inventory.Endpoint) string {
	return s.rootKey(finding.Finding{Rule: rule, Endpoint: &finding.Endpoint{Method: ep.Method, Path: ep.Path}})
}
