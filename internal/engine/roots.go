package engine

import (
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/engine/gates"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

// A root cause is what one finding stands for: a rule on a gate (the
// verifier the endpoints share), on an issuer (token hygiene), or on one
// endpoint (authorization in a handler). Every place it is seen becomes an
// instance of the one finding.

// root is one recorded root cause.
type root struct {
	idx      int    // index in Scan.findings
	proof    *proof // the representative's proving request, when recorded
	identity string // whose credential the proof started from
}

// rootKey says which root cause a finding belongs to.
func (s *Scan) rootKey(f finding.Finding) string {
	switch {
	case f.Endpoint == nil:
		return f.Rule + "|issuer:" + s.issuer[f.Identity]
	case s.decl.gateRule[f.Rule]:
		if sig, ok := s.refusal[f.Endpoint.String()]; ok {
			if s.decl.byRefusal[f.Rule] {
				// Guessing is judged on how a wrong key is refused: routes
				// that refuse it alike share the check that does not
				// throttle, whichever identities they then let in.
				sig, _, _ = strings.Cut(sig, ";")
			}
			return f.Rule + "|gate:" + sig
		}
	}
	return f.Rule + "|endpoint:" + f.Endpoint.String()
}

// report completes a finding and files it under its root cause: the first
// of a root is recorded and streamed, later ones become its instances.
func (s *Scan) report(f finding.Finding, pr *proof) {
	if f.Source == "" {
		f.Source = "dynamic"
	}
	if f.Confidence == "" {
		f.Confidence = finding.Firm
	}
	if s.opt.Allow != nil && !s.opt.Allow(f.Rule) {
		return
	}
	s.mu.Lock()
	if s.dupOnEndpoint(f) {
		s.mu.Unlock()
		return
	}
	if f.Endpoint != nil {
		s.proven[provenKey(f.Rule, f.Endpoint)] = true
	}
	s.proven[provenKey(f.Rule, nil)] = true
	inst := finding.Instance{Endpoint: f.Endpoint, Identity: f.Identity, Confirmed: true}
	if f.Evidence != nil {
		inst.Status = f.Evidence.Status
	}
	if causes := s.decl.causes[f.Rule]; len(causes) > 0 {
		if r := s.chainRoot(causes, f.Identity); r != nil {
			s.addConsequence(r, f, inst)
			s.mu.Unlock()
			return
		}
	}
	k := s.rootKey(f)
	if r, ok := s.roots[k]; ok {
		addInstance(&s.findings[r.idx], inst)
		s.mu.Unlock()
		return
	}
	if f.Endpoint != nil && s.decl.gateRule[f.Rule] {
		if g := s.gateByMember(f.Endpoint.String()); g != nil {
			f.Gate = g.ID
		}
	}
	if len(f.Instances) == 0 {
		f.Instances = []finding.Instance{inst}
	} // else the check proved its one root cause at several places itself
	f.ComputeRootFingerprint(k)
	f.Replay = s.replayOf(pr)
	s.roots[k] = &root{idx: len(s.findings), proof: pr, identity: f.Identity}
	s.findings = append(s.findings, f)
	cb := s.opt.OnFinding
	s.mu.Unlock()
	if cb != nil {
		cb(f)
	}
}

func addInstance(f *finding.Finding, in finding.Instance) {
	for _, have := range f.Instances {
		if sameEndpoint(have.Endpoint, in.Endpoint) && (in.Endpoint != nil || have.Identity == in.Identity) {
			return
		}
	}
	f.Instances = append(f.Instances, in)
}

func sameEndpoint(a, b *finding.Endpoint) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// chainRoot returns the finding of an identity that causes (a recovered
// secret) absorbs, if any.
func (s *Scan) chainRoot(causes []string, id string) *root {
	for _, rule := range causes {
		for k, r := range s.roots {
			if strings.HasPrefix(k, rule+"|") && s.findings[r.idx].Identity == id {
				return r
			}
		}
	}
	return nil
}

// addConsequence folds a forged privilege into the secret that made it:
// one finding, the cause's CWE first, then the privilege's.
func (s *Scan) addConsequence(r *root, f finding.Finding, in finding.Instance) {
	c := &s.findings[r.idx]
	addInstance(c, in)
	// The signature is checked: the forged token is validly signed with
	// the recovered secret, so the chain is not tagged CWE-347.
	for _, cwe := range f.CWE {
		if !contains(c.CWE, cwe) && cwe != "CWE-347" {
			c.CWE = append(c.CWE, cwe)
		}
	}
	if f.Severity.Rank() > c.Severity.Rank() {
		c.Severity = f.Severity
	}
	on := ""
	if f.Endpoint != nil {
		on = " on " + f.Endpoint.String()
	}
	c.Message += "; consequence" + on + ": " + f.Message
	if c.Evidence != nil && f.Evidence != nil && c.Evidence.Curl == "" {
		c.Evidence.Curl, c.Evidence.Request, c.Evidence.Status = f.Evidence.Curl, f.Evidence.Request, f.Evidence.Status
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// finishRoots puts each finding's representative first: the top-level
// endpoint is the first instance in reading order.
func (s *Scan) finishRoots() {
	for i := range s.findings {
		f := &s.findings[i]
		sort.SliceStable(f.Instances, func(a, b int) bool {
			ea, eb := f.Instances[a].Endpoint, f.Instances[b].Endpoint
			if ea == nil || eb == nil {
				return ea != nil
			}
			return gates.Less(&inventory.Endpoint{Method: ea.Method, Path: ea.Path}, &inventory.Endpoint{Method: eb.Method, Path: eb.Path})
		})
		if !s.decl.chained[f.Rule] && len(f.Instances) > 0 && f.Instances[0].Endpoint != nil {
			f.Endpoint = f.Instances[0].Endpoint
		}
	}
}

// issuerOf names who issued an identity's token, for per-issuer token
// hygiene: the iss claim, else the login request, else the identity.
func issuerOf(id *identity.Identity, c identity.Creds) string {
	if _, tok, ok := forgery.Find(c); ok {
		if iss, ok := tok.Claims["iss"].(string); ok && iss != "" {
			return "iss:" + iss
		}
		if id.Login != nil {
			return "login:" + id.Login.Method + " " + id.Login.URL
		}
	}
	return "identity:" + id.Name
}

// gateByMember finds the gate an endpoint is in, single-member gates
// included (caller holds mu).
func (s *Scan) gateByMember(k string) *gates.Gate {
	if g := s.gateOf[k]; g != nil {
		return g
	}
	for _, g := range s.gates {
		for _, m := range g.Members {
			if m.Key() == k {
				return g
			}
		}
	}
	return nil
}
