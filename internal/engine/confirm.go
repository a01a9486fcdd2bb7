package engine

import (
	"context"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// confirmHost is the scan as gates.Confirm sees it.
type confirmHost struct{ s *Scan }

func (h confirmHost) Proven(rule string, ep *inventory.Endpoint) bool { return h.s.Proven(rule, ep) }
func (h confirmHost) Note(msg string)                                 { h.s.Note(msg) }
func (h confirmHost) Run(ctx context.Context, c probe.Check, ep *inventory.Endpoint) {
	h.s.runOnEndpoint(ctx, c, ep)
}
func (h confirmHost) Replay(ctx context.Context, rep, ep *inventory.Endpoint, rule string) bool {
	return h.s.replay(ctx, rep, ep, rule)
}
func (h confirmHost) AddPlace(rule string, ep *inventory.Endpoint, idName string, o *probe.Outcome, confirmed bool) {
	h.s.addPlace(rule, ep, idName, o, confirmed)
}
func (h confirmHost) Discriminated(ep *inventory.Endpoint) map[string]*probe.Outcome {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	return h.s.disc[ep.Key()]
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
