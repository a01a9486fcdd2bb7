package ratelimit

import (
	"context"
	"fmt"
	"net/http"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// target is one series to send and where its finding goes.
type target struct {
	ep *finding.Endpoint
	id string
	s  series
	// after, when set, reads the series' verdict for a further finding.
	after func(v verdict)
	// pre, when set, is sent before the series (gate.go): a made-up
	// key's answer, or why the series could prove nothing there.
	pre func(ctx context.Context) (*oracle.Sample, string)
	// also are the routes behind the same gate the series speaks for.
	also []*finding.Endpoint
}

// endpointTargets is a target for every endpoint of the inventory that
// build makes one for, in the inventory's order.
func endpointTargets(inv *inventory.Inventory, build func(ep *inventory.Endpoint) (target, bool)) []target {
	if inv == nil {
		return nil
	}
	var out []target
	for i := range inv.Endpoints {
		if t, ok := build(&inv.Endpoints[i]); ok {
			out = append(out, t)
		}
	}
	return out
}

// targetAt is the target of a series on an endpoint, as identity id.
func targetAt(ep *inventory.Endpoint, id string, s series) target {
	return target{ep: &finding.Endpoint{Method: ep.Method, Path: ep.Path}, id: id, s: s}
}

// keyTargets: every endpoint that refuses anonymous requests and lets an
// identity in with an API key alone — unless a random key gets in there
// anyway, which makes guessing moot.
func keyTargets(p *probe.Pass) []target {
	var out []target
	for _, ep := range p.Endpoints() {
		cells := p.Matrix(ep)
		if len(cells) == 0 || cells[0].Verdict() != oracle.Rejected ||
			p.ResultOf(randomKey, ep) || variantIn(cells, slots.CellBadKey) {
			continue
		}
		for _, c := range cells {
			sl, ok := keyAlone(c, cells, p.Inventory())
			if !ok || namesLoggedInUser(p, c.Identity, sl.Value) || identifier(sl.Value) {
				continue
			}
			out = append(out, targetAt(ep, c.Identity, keySeries(p, ep, c, sl, slotValues(p, sl))))
			break
		}
	}
	return out
}

func variantIn(cells []probe.Cell, v string) bool {
	for _, c := range cells {
		if c.Variant == v && c.Verdict() == oracle.Accepted {
			return true
		}
	}
	return false
}

// keyAlone returns the key slot of a cell that lets its identity in with
// that key alone: an identity with one credential, or the key-only cell of
// one with several.
func keyAlone(c probe.Cell, cells []probe.Cell, inv *inventory.Inventory) (slots.Slot, bool) {
	if c.Verdict() != oracle.Accepted || c.Ref == nil || !c.Ref.Gated || !oracle.Served(c.Outcome.Sample) {
		return slots.Slot{}, false
	}
	ss := slots.Of(c.Creds, inv)
	sl, ok := slots.First(ss, slots.Key)
	switch {
	case !ok:
		return slots.Slot{}, false
	case c.Variant == slots.CellIdentity && len(ss) == 1:
		return sl, true
	case c.Variant == slots.CellOnly:
		return sl, true
	}
	return slots.Slot{}, false
}

func keySeries(p *probe.Pass, ep *inventory.Endpoint, c probe.Cell, sl slots.Slot, values []string) series {
	send := func(ctx context.Context, label string, creds identity.Creds) *probe.Outcome {
		req := &httpx.Request{Method: ep.Method, URL: p.URL(ep), Header: http.Header{}, NoRetry: true}
		o := p.Send(ctx, ep, req, creds, c.Ref)
		o.Label = label
		return o
	}
	return series{
		carriers: []string{sl.Name, "authorization"},
		what:     "invalid API keys in " + sl.String(),
		attempt: func(ctx context.Context, i int) *probe.Outcome {
			return send(ctx, fmt.Sprintf("invalid key %d", i+1), sl.With(c.Creds, slots.RandomLike(sl.Value)))
		},
		refused:     func(o *probe.Outcome) bool { return o.Rejected() || oracle.Refusal(o.Sample) },
		control:     func(ctx context.Context) *probe.Outcome { return send(ctx, "valid key (control)", c.Creds) },
		works:       func(o *probe.Outcome) bool { return o.Accepted() },
		guessesKeys: true,
		keyBits:     keyBits(values...),
	}
}
