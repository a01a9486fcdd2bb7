package ratelimit

import (
	"context"
	"fmt"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// byGate sends each target's check before its series (a made-up key,
// then the valid one, on an object nobody has) and keeps one target per
// gate: the routes that refuse a made-up key of the same identity alike
// share the check that lets or does not let guessing through, as the
// engine files the calibrated routes' findings by their refusal. The
// first route of a gate gets the series and names the others; a route
// where the valid key is answered like a made-up one is noted (its
// series could prove nothing) and left out. undecided gets the first
// such reason.
func byGate(ctx context.Context, p *probe.Pass, ts []target, undecided *string) []target {
	type gate struct {
		refusal *oracle.Sample
		t       *target
	}
	var gates []*gate
	var out []*target
	for i := range ts {
		t := &ts[i]
		if ctx.Err() != nil {
			break
		}
		if t.pre == nil {
			out = append(out, t)
			continue
		}
		bad, why := t.pre(ctx)
		if why != "" {
			p.Note(fmt.Sprintf("%s: brute-force check not run: %s", t.ep.String(), why))
			if *undecided == "" {
				*undecided = t.ep.String() + ": " + why
			}
			continue
		}
		var g *gate
		for _, x := range gates {
			if x.t.id == t.id && oracle.SameRefusal(bad, x.refusal) {
				g = x
				break
			}
		}
		if g == nil {
			gates = append(gates, &gate{refusal: bad, t: t})
			out = append(out, t)
			continue
		}
		g.t.also = append(g.t.also, t.ep)
	}
	kept := make([]target, len(out))
	for i, t := range out {
		kept[i] = *t
	}
	return kept
}

// instances are the finding's places: the route the series ran on
// (confirmed) and the routes behind the same gate it speaks for.
func instances(f *finding.Finding, also []*finding.Endpoint) {
	if len(also) == 0 {
		return
	}
	f.Instances = []finding.Instance{{Endpoint: f.Endpoint, Identity: f.Identity, Confirmed: true}}
	for _, ep := range also {
		f.Instances = append(f.Instances, finding.Instance{Endpoint: ep, Identity: f.Identity})
	}
}
