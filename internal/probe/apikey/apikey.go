// Package apikey holds the live checks of how an API checks its API keys:
// random, empty and altered keys accepted, and keys accepted from the query
// string where a header is expected. A key is any credential of an identity
// that is not a JWT and not a session cookie — whatever header, parameter or
// cookie it travels in (the identity's credentials and the spec's apiKey
// schemes say which).
package apikey

import (
	"context"
	"fmt"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

const (
	ruleInvalid = "apikey.invalid-accepted"
	ruleEmpty   = "apikey.empty-accepted"
	ruleVariant = "apikey.variant-accepted"
	ruleQuery   = "apikey.in-query"
)

// Checks are the API-key checks. The per-endpoint ones run on endpoints
// the identity's key gates; a random key accepted is read from the auth
// matrix, because such an endpoint does not calibrate as gated.
func Checks() []probe.Check {
	return []probe.Check{
		{ID: ruleEmpty, Scope: probe.PerEndpoint, Rules: []string{ruleEmpty}, Run: runEmpty, GateRules: []string{ruleEmpty},
			Doc: "sends the key header or parameter with an empty value"},
		{ID: ruleVariant, Scope: probe.PerEndpoint, Rules: []string{ruleVariant}, Run: runVariant, GateRules: []string{ruleVariant},
			Doc: "sends the valid key upper- and lower-cased, padded, truncated, prefixed and extended"},
		{ID: ruleQuery, Scope: probe.PerEndpoint, Rules: []string{ruleQuery}, Run: runQuery, GateRules: []string{ruleQuery},
			Doc: "moves the key from its header to the query string"},
		{ID: ruleInvalid, Scope: probe.PerScan, Rules: []string{ruleInvalid}, Run: runInvalid, GateRules: []string{ruleInvalid},
			Doc: "a random key of the same shape, alone, where no key is refused"},
		{ID: ruleSequential, Scope: probe.PerScan, Rules: []string{ruleSequential}, Run: runSequential, GateRules: []string{ruleSequential}, Requires: []string{ruleInvalid},
			Doc: "identities' keys that differ only in a counter: the next key in the sequence, which no identity holds, sent where their key is accepted and a random key refused"},
	}
}

// target is a key check's subject: the key slot, the credentials it is sent
// with, and the calibration its answers are judged by.
type target struct {
	p    *probe.Pass
	slot slots.Slot
	base identity.Creds
	cal  *oracle.Calibration
}

// start returns the target when the identity carries a key that gates the
// endpoint, the check has not run there with another identity, and no
// random key gets in (which makes every other key check moot).
func start(p *probe.Pass, id string) (*target, bool) {
	ss := slots.Of(p.Creds, p.Inventory())
	sl, ok := slots.First(ss, slots.Key)
	if !ok {
		return nil, false
	}
	cells := p.Matrix(p.Endpoint)
	if badKeyAccepted(cells) {
		return nil, false
	}
	t := &target{p: p, slot: sl, base: p.Creds, cal: p.Cal}
	if len(ss) > 1 {
		// The key must get in alone: judge it by its own matrix cell.
		c, ok := findCell(cells, p.Identity.Name, slots.CellOnly, sl)
		if !ok || c.Verdict() != oracle.Accepted || c.Ref == nil || !c.Ref.Gated {
			return nil, false
		}
		t.base, t.cal = c.Creds, c.Ref
	}
	if !p.First(id + "|" + p.Endpoint.Key()) {
		return nil, false
	}
	return t, true
}

func badKeyAccepted(cells []probe.Cell) bool {
	for _, c := range cells {
		if c.Variant == slots.CellBadKey && c.Verdict() == oracle.Accepted {
			return true
		}
	}
	return false
}

func findCell(cells []probe.Cell, id, variant string, sl slots.Slot) (probe.Cell, bool) {
	for _, c := range cells {
		if c.Identity != id || c.Variant != variant {
			continue
		}
		for _, s := range slots.Of(c.Creds, nil) {
			if s.In == sl.In && s.Name == sl.Name {
				return c, true
			}
		}
	}
	return probe.Cell{}, false
}

// send tries value in the key's slot.
func (t *target) send(ctx context.Context, label, value string) *probe.Outcome {
	return t.sendCreds(ctx, label, t.slot.With(t.base, value))
}

func (t *target) sendCreds(ctx context.Context, label string, c identity.Creds) *probe.Outcome {
	o := t.p.Send(ctx, t.p.Endpoint, nil, c, t.cal)
	o.Label = label
	return o
}

// control sends a random key of the same shape, which must be refused.
func (t *target) control(ctx context.Context) (*probe.Outcome, bool) {
	o := t.send(ctx, "random key (control)", slots.RandomLike(t.slot.Value))
	return o, o.Rejected()
}

// report records a proven key weakness.
func (t *target) report(rule string, o *probe.Outcome, msg, proof, control string) {
	f := t.p.Finding(catalog.New(rule))
	f.Message = msg
	f.Confidence = finding.Firm
	if oracle.Served(o.Sample) {
		f.Confidence = finding.Confirmed
	}
	f.Evidence = t.p.Evidence(o, proof, control)
	t.p.Report(f)
}

// accepted2xx: accepted and a success status (an accepted 404 proves
// less).
func accepted2xx(o *probe.Outcome) bool {
	return o.Accepted() && oracle.Served(o.Sample)
}

func runEmpty(ctx context.Context, p *probe.Pass) {
	t, ok := start(p, ruleEmpty)
	if !ok || t.slot.In == slots.Bearer {
		return
	}
	o := t.send(ctx, "empty key", "")
	if !accepted2xx(o) {
		return
	}
	again := t.send(ctx, "empty key (reproduced)", "")
	if !again.Accepted() {
		p.Note(fmt.Sprintf("%s: an empty %s was accepted once, not on reproduction (%s)", p.Endpoint.Key(), t.slot, again.Why))
		return
	}
	ctl, ok := t.control(ctx)
	if !ok {
		p.Note(fmt.Sprintf("%s: an empty %s was accepted, but a random key was not refused (%s)", p.Endpoint.Key(), t.slot, ctl.Why))
		return
	}
	t.report(ruleEmpty, o,
		fmt.Sprintf("%s sent with an empty value was accepted like identity %s's key", t.slot, p.Identity.Name),
		fmt.Sprintf("accepted twice (%s)", o.Why),
		fmt.Sprintf("a random key of the same shape was refused (status %d)", ctl.Sample.Status))
}
