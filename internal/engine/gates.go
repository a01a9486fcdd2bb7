package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
)

// Gate is a group of endpoints believed to share one verifier: the same
// decorator or hook in the source, or, without the source, the same answers
// to the same refused credentials and the same verdicts on the cheap
// discriminating forgeries. Checks run in full on the representative; the
// other members are confirmed with the proving requests.
type Gate struct {
	// ID names the gate in the result: "source:FILE:LINE" or "behaviour:HASH".
	ID string
	// Signature is what the members share (stable across runs; the
	// fingerprint of a per-gate finding derives from it, never from the
	// member list).
	Signature string
	// Members are sorted by path then method; Members[0] is the representative.
	Members []*inventory.Endpoint
}

// Representative is the member every check runs on in full.
func (g *Gate) Representative() *inventory.Endpoint { return g.Members[0] }

// Gates returns the gate map of the scan (after the checks ran), sorted by
// ID. Endpoints that no identity's credential gates are in no gate.
func (s *Scan) Gates() []Gate {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Gate, 0, len(s.gates))
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
	b.WriteString("anon=" + sampleSignature(s.anon[ep.Key()]))
	for _, id := range s.opt.Identities {
		cal := s.cals[key{ep.Key(), id.Name}]
		gated := cal != nil && cal.Gated
		fmt.Fprintf(&b, ";%s:gated=%v", id.Name, gated)
	}
	return b.String()
}

// sampleSignature reduces a refusal to what a verifier decides: status,
// the pruned body shape and the authentication challenge.
func sampleSignature(sm *oracle.Sample) string {
	if sm == nil {
		return "-"
	}
	if sm.Err != nil {
		return "error"
	}
	if sm.Status >= 300 && sm.Status < 400 {
		// A redirect refuses by where it sends, not by its body (which
		// often repeats the path asked for in ?next=).
		loc, _, _ := strings.Cut(sm.Header.Get("Location"), "?")
		return fmt.Sprintf("%d/%s", sm.Status, loc)
	}
	shape := sm.Shape()
	keys := make([]string, 0, len(shape))
	for k, n := range shape {
		keys = append(keys, fmt.Sprintf("%s=%d", k, n))
	}
	sort.Strings(keys)
	h := sha256.Sum256([]byte(strings.Join(keys, "\x00")))
	return fmt.Sprintf("%d/%s/%s", sm.Status, hex.EncodeToString(h[:6]), sm.Header.Get("WWW-Authenticate"))
}

// gateID makes a short, stable name from a signature.
func gateID(prefix, signature string) string {
	h := sha256.Sum256([]byte(signature))
	return prefix + hex.EncodeToString(h[:4])
}

// groupByGate partitions the gated endpoints by signature (the source's
// verifier when known) and returns the gates and each endpoint's gate.
func (s *Scan) groupByGate(sigs map[string]string, eps []*inventory.Endpoint) {
	byKey := map[string]*Gate{}
	for _, ep := range eps {
		sig, ok := sigs[ep.Key()]
		if !ok {
			continue
		}
		g := byKey[sig]
		if g == nil {
			if src, ok := strings.CutPrefix(sig, "source:"); ok {
				g = &Gate{ID: "source:" + strings.SplitN(src, "|", 2)[0], Signature: sig}
			} else {
				g = &Gate{ID: gateID("behaviour:", sig), Signature: sig}
			}
			byKey[sig] = g
		}
		g.Members = append(g.Members, ep)
	}
	s.gates = s.gates[:0]
	for _, g := range byKey {
		sort.Slice(g.Members, func(i, j int) bool { return lessEndpoint(g.Members[i], g.Members[j]) })
		s.gates = append(s.gates, g)
		for _, m := range g.Members {
			s.gateOf[m.Key()] = g
		}
	}
	sort.Slice(s.gates, func(i, j int) bool { return lessEndpoint(s.gates[i].Members[0], s.gates[j].Members[0]) })
}

// lessEndpoint orders endpoints so that the representative is the one a
// reader expects first: fewer path parameters, then path, then method.
func lessEndpoint(a, b *inventory.Endpoint) bool {
	pa, pb := strings.Count(a.Path, "{"), strings.Count(b.Path, "{")
	if pa != pb {
		return pa < pb
	}
	if a.Path != b.Path {
		return a.Path < b.Path
	}
	return a.Method < b.Method
}
