package engine

import (
	"context"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// State implements probe.Env: the family's state for this scan, created
// on first use (the selected checks' families are created at the start).
func (s *Scan) State(f *probe.Family) probe.State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stateLocked(f)
}

func (s *Scan) stateLocked(f *probe.Family) probe.State {
	st, ok := s.states[f]
	if !ok {
		st = f.New()
		s.states[f] = st
		s.familyOrder = append(s.familyOrder, f)
	}
	return st
}

// startFamilies creates the state of every selected check's family.
func (s *Scan) startFamilies() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.opt.Checks {
		if c.Family != nil {
			s.stateLocked(c.Family)
		}
	}
}

// finishFamilies runs each family state's Finish once, in the order the
// states were created. It runs after the per-endpoint checks and again
// when the scan ends, so that it runs whatever happened.
func (s *Scan) finishFamilies(ctx context.Context) {
	for {
		s.mu.Lock()
		var next probe.State
		for _, f := range s.familyOrder {
			if !s.finished[f] {
				s.finished[f] = true
				next = s.states[f]
				break
			}
		}
		s.mu.Unlock()
		if next == nil {
			return
		}
		next.Finish(ctx, &probe.Pass{Env: newPassEnv(s, nil, false)})
	}
}

// ResultOf implements probe.Env: whether check id proved any of its rules
// on ep (nil: anywhere).
func (s *Scan) ResultOf(id string, ep *inventory.Endpoint) bool {
	c, ok := s.checkByID[id]
	if !ok {
		return s.Proven(id, ep)
	}
	for _, r := range c.Rules {
		if s.Proven(r, ep) {
			return true
		}
	}
	return false
}

// declared is what the registered checks declare that the engine uses
// across checks: which rules' causes are the verifier, and which rules
// fold into which as their consequence.
type declared struct {
	gateRule map[string]bool
	// byRefusal are the gate rules keyed by the refusal of a wrong
	// credential alone (Check.RefusalGates).
	byRefusal map[string]bool
	// causes maps a consequence rule to the rules whose findings absorb
	// it, in registry order; chained holds every rule of a chain.
	causes  map[string][]string
	chained map[string]bool
}

func declare(checks []probe.Check) declared {
	d := declared{gateRule: map[string]bool{}, byRefusal: map[string]bool{}, causes: map[string][]string{}, chained: map[string]bool{}}
	for _, c := range checks {
		for _, r := range c.GateRules {
			d.gateRule[r] = true
		}
		for _, r := range c.RefusalGates {
			d.byRefusal[r] = true
		}
		for _, r := range c.Chains {
			for _, cause := range c.Rules {
				if !contains(d.causes[r], cause) {
					d.causes[r] = append(d.causes[r], cause)
				}
				d.chained[cause] = true
			}
			d.chained[r] = true
		}
	}
	return d
}
