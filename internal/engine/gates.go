package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/engine/gates"
	"github.com/authprobe/authprobe/internal/inventory"
)

// Gates returns the gate map of the scan (after the checks ran), sorted by
// ID. Endpoints that no identity's credential gates are in no gate.
func (s *Scan) Gates() []gates.Gate {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]gates.Gate, 0, len(s.gates))
	for _, g := range s.gates {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// refusalSignature is what an endpoint answers to a request without
// credentials and which identities it tells apart from none at all.
// Endpoints behind one verifier answer alike; the discriminating forgeries
// (schedule.go) then refine the grouping.
func (s *Scan) refusalSignature(ep *inventory.Endpoint) string {
	var b strings.Builder
	b.WriteString("anon=" + gates.SampleSignature(s.anon[ep.Key()]))
	for _, id := range s.opt.Identities {
		cal := s.cals[key{ep.Key(), id.Name}]
		gated := cal != nil && cal.Gated
		fmt.Fprintf(&b, ";%s:gated=%v", id.Name, gated)
	}
	return b.String()
}

// groupByGate stores the gates of the endpoints that have a signature
// (gates.Group) and each endpoint's gate.
func (s *Scan) groupByGate(sigs map[string]string, eps []*inventory.Endpoint) {
	gs, of := gates.Group(sigs, eps)
	s.gates = append(s.gates[:0], gs...)
	for k, g := range of {
		s.gateOf[k] = g
	}
}
