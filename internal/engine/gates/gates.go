// Package gates groups endpoints into gates: endpoints believed to share
// one verifier, by the source's decorator or hook when known, else by the
// same answers to the same refused credentials and the same verdicts on the
// discriminating forgeries. It holds the Gate type, the signatures that
// group endpoints, the order that picks each gate's representative, and
// the confirmation of the representative's proven verdicts on the other
// members (Confirm). The engine computes the signatures from its
// calibration, stores the gates this package returns and implements Host;
// this package never sees the scan itself.
package gates

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

// FastSample is how many members of a gate --fast confirms.
const FastSample = 5

// Sampled reports whether ep is among the first members --fast confirms.
func (g *Gate) Sampled(ep *inventory.Endpoint) bool {
	for i, m := range g.Members {
		if m == ep {
			return i <= FastSample
		}
	}
	return false
}

// SampleSignature reduces a refusal to what a verifier decides: status,
// the pruned body shape and the authentication challenge.
func SampleSignature(sm *oracle.Sample) string {
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

// Group partitions the endpoints that have a signature (sigs, by endpoint
// key; the source's verifier when known) into gates, sorted by
// representative, and returns them with each member's gate by endpoint key.
func Group(sigs map[string]string, eps []*inventory.Endpoint) ([]*Gate, map[string]*Gate) {
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
	var out []*Gate
	of := map[string]*Gate{}
	for _, g := range byKey {
		sort.Slice(g.Members, func(i, j int) bool { return Less(g.Members[i], g.Members[j]) })
		out = append(out, g)
		for _, m := range g.Members {
			of[m.Key()] = g
		}
	}
	sort.Slice(out, func(i, j int) bool { return Less(out[i].Members[0], out[j].Members[0]) })
	return out, of
}

// Less orders endpoints so that the representative is the one a reader
// expects first: fewer path parameters, then path, then method.
func Less(a, b *inventory.Endpoint) bool {
	pa, pb := strings.Count(a.Path, "{"), strings.Count(b.Path, "{")
	if pa != pb {
		return pa < pb
	}
	if a.Path != b.Path {
		return a.Path < b.Path
	}
	return a.Method < b.Method
}
