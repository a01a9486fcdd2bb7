package gates

import (
	"context"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// Host is what confirmation needs from the scan that runs it: what is
// proven, the members' discriminating answers, and the means to record,
// replay, note and run a check in full. The engine implements it.
type Host interface {
	// Proven reports whether rule is proven at ep.
	Proven(rule string, ep *inventory.Endpoint) bool
	// Discriminated is ep's answers to the discriminating requests, keyed
	// "check|identity".
	Discriminated(ep *inventory.Endpoint) map[string]*probe.Outcome
	// AddPlace records an instance of rule's root cause at ep (o nil when
	// inferred from the gate).
	AddPlace(rule string, ep *inventory.Endpoint, idName string, o *probe.Outcome, confirmed bool)
	// Replay sends the representative's proving request of rule to ep and
	// records the instance when it is accepted.
	Replay(ctx context.Context, rep, ep *inventory.Endpoint, rule string) bool
	// Note records a scan note.
	Note(msg string)
	// Run runs check c on ep in full.
	Run(ctx context.Context, c probe.Check, ep *inventory.Endpoint)
}

// Confirm carries the representative's verdicts of the shared checks over
// to a member: a technique proven there is confirmed here with its proving
// request (already sent when it was a discriminating probe); a member that
// does not reproduce it gets the check in full. With fast, members past
// the sample are inferred from the gate.
func Confirm(ctx context.Context, h Host, g *Gate, ep *inventory.Endpoint, shared []probe.Check, fast bool) {
	rep := g.Representative()
	for _, c := range shared {
		for _, rule := range c.Rules {
			if !h.Proven(rule, rep) {
				continue
			}
			if confirmedByDiscriminator(h, ep, c, rule) {
				continue
			}
			if fast && !g.Sampled(ep) {
				h.AddPlace(rule, ep, "", nil, false)
				continue
			}
			if h.Replay(ctx, rep, ep, rule) {
				continue
			}
			h.Note(fmt.Sprintf("%s: %s proven on %s, a member of its gate, was not reproduced with the same request; %s checked on its own",
				ep.Key(), rule, rep.Key(), c.ID))
			h.Run(ctx, c, ep)
			break
		}
	}
}

// confirmedByDiscriminator: the member already answered the check's first
// request as the representative did, and that request proves the rule.
func confirmedByDiscriminator(h Host, ep *inventory.Endpoint, c probe.Check, rule string) bool {
	for k, o := range h.Discriminated(ep) {
		cid, idName, _ := strings.Cut(k, "|")
		if strings.Contains(idName, "|") {
			continue
		}
		if cid != c.ID || o == nil || !o.Accepted() || rule != c.ID {
			continue
		}
		h.AddPlace(rule, ep, idName, o, true)
		return true
	}
	return false
}
