package rules

// The evidence gate. Every rule declares, in its registration (All), the
// positive evidence a medium-or-above finding of each of its ids must
// carry, the way a go/analysis analyzer declares the facts it needs. Rules
// do not weigh their own findings: they record what they observed as the
// finding's flow (where a value comes from, what it passes through, where
// it is used, why the code handles requests) and, when they observe a fact
// that refutes the weakness, a counter step (the same token is verified
// later, every deploy path sets the secret, the route acts on the caller's
// own record). The gate alone decides the weight: a finding without the
// roles its rule needs, or with a counter step, is reported at the rule's
// floor (low "review:", or info) with the reason, and the flow shows why.

import (
	"strings"
	"sync"

	"github.com/authprobe/authprobe/internal/finding"
)

// Evidence is what a rule's medium-or-above finding must carry.
type Evidence struct {
	// Kind names the evidence, for the docs and the registry test:
	// "path" (a value's source→sink path in request-handling code),
	// "caller" (the caller's token's claims reach an identity or
	// authorization decision), "secret" (a literal reaches a signer or
	// check the app uses, and the deploy files do not replace it),
	// "deploy" (how the shipped entry point starts the app), "config"
	// (the settings that make the weakness, and what they expose),
	// "siblings" (the checks the route's siblings carry), "construct"
	// (the reported call or setting is the weakness by itself).
	Kind string
	// Needs are the flow roles a medium-or-above finding must hold.
	Needs []string
	// Floor is the weight of a finding without the evidence (or with a
	// counter step): low or info.
	Floor finding.Severity
	// Missing is the reason given when a Needs role is absent.
	Missing string
}

// Counter is the role of a flow step recording a fact that refutes the
// weakness; its note is the reason the gate gives.
const Counter = "counter"

// The evidence kinds the rules declare.
var (
	evPath = Evidence{Kind: "path", Needs: []string{"sink"}, Floor: finding.Low,
		Missing: "no path to a sink was found; the match rests on names"}
	evSecret = Evidence{Kind: "secret", Needs: []string{"sink"}, Floor: finding.Low,
		Missing: "no path to a sink was found; the match rests on names"}
	evCaller = Evidence{Kind: "caller", Needs: []string{"sink"}, Floor: finding.Info,
		Missing: "no request-supplied token whose claims reach an identity or authorization decision in request-handling code was found"}
	evCallerOpt = Evidence{Kind: "caller", Needs: []string{"sink"}, Floor: finding.Low,
		Missing: "no caller's token from the request whose claims reach an identity or authorization decision in request-handling code was found"}
	evDeploy    = Evidence{Kind: "deploy", Floor: finding.Low}
	evConfig    = Evidence{Kind: "config", Floor: finding.Low}
	evSiblings  = Evidence{Kind: "siblings", Floor: finding.Low}
	evConstruct = Evidence{Kind: "construct", Floor: finding.Low}
)

// declare maps each id to the evidence e.
func declare(e Evidence, ids ...string) map[string]Evidence {
	out := make(map[string]Evidence, len(ids))
	for _, id := range ids {
		out[id] = e
	}
	return out
}

// with merges declarations (a rule whose ids need different evidence).
func with(ms ...map[string]Evidence) map[string]Evidence {
	out := map[string]Evidence{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

var (
	declOnce sync.Once
	declared map[string]Evidence
)

// evidenceOf is the evidence the rule reporting id declares.
func evidenceOf(id string) (Evidence, bool) {
	declOnce.Do(func() {
		declared = map[string]Evidence{}
		for _, r := range All() {
			for id, e := range r.Evidence {
				// One id reported by two rules (py.jwt-alg-none) must be
				// declared alike; the registry test checks it.
				declared[id] = e
			}
		}
	})
	e, ok := declared[id]
	return e, ok
}

// gate weighs a finding by the evidence its rule declares.
func gate(f *finding.Finding) {
	if f.Severity.Rank() < finding.Medium.Rank() {
		return
	}
	e, ok := evidenceOf(f.Rule)
	if !ok {
		return
	}
	for _, s := range f.Flow {
		if s.Role == Counter {
			demote(f, e.Floor, s.Note)
			return
		}
	}
	for _, need := range e.Needs {
		if !hasRole(f.Flow, need) {
			demote(f, e.Floor, e.Missing)
			return
		}
	}
}

// demote reports f at floor, marked for review, with the reason.
func demote(f *finding.Finding, floor finding.Severity, why string) {
	f.Severity, f.Confidence = floor, finding.Tentative
	f.Message = "review: " + strings.TrimPrefix(f.Message, "review: ")
	if why != "" && !strings.Contains(f.Message, why) {
		f.Message += " (" + why + ")"
	}
}

// refute records a counter step on the finding just reported (after index
// before) and weighs it again: the fact at st refutes the weakness.
func (ps *Pass) refute(before int, st finding.Step) {
	if len(ps.Findings) == before {
		return
	}
	f := &ps.Findings[len(ps.Findings)-1]
	st.Role = Counter
	f.Flow = append(f.Flow, st)
	gate(f)
}
