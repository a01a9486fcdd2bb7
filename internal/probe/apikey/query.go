package apikey

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// commonNames are the query parameters key-checking code falls back to.
var commonNames = []string{"api_key", "apikey", "api-key", "key", "access_key", "token", "auth"}

// queryNames derives the parameter names to try from the key's header name
// (X-API-Key: x-api-key, api-key, api_key, apikey) plus the common ones and
// the query credentials the spec declares (a documented query fallback
// puts the key in URLs all the same), minus the endpoint's own query
// parameters.
func queryNames(sl slots.Slot, declared map[string]bool, schemes []string) []string {
	set := map[string]bool{}
	for _, n := range commonNames {
		set[n] = true
	}
	scheme := map[string]bool{}
	for _, n := range schemes {
		set[strings.ToLower(n)] = true
		scheme[strings.ToLower(n)] = true
	}
	if sl.Name != "" {
		n := strings.ToLower(sl.Name)
		set[n] = true
		n = strings.TrimPrefix(n, "x-")
		set[n] = true
		set[strings.ReplaceAll(n, "-", "_")] = true
		set[strings.ReplaceAll(n, "-", "")] = true
	}
	var out []string
	for n := range set {
		if n != "" && (!declared[n] || scheme[n]) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// querySchemes lists the query parameter names the spec declares as
// credentials.
func querySchemes(p *probe.Pass) []string {
	var out []string
	if inv := p.Inventory(); inv != nil {
		for _, s := range inv.Schemes {
			if s.In == "query" && s.Param != "" {
				out = append(out, s.Param)
			}
		}
	}
	return out
}

// declaredQuery lists the endpoint's own query parameters: not where a
// key goes.
func declaredQuery(p *probe.Pass) map[string]bool {
	out := map[string]bool{}
	for _, prm := range p.Endpoint.Params {
		if prm.In == "query" {
			out[strings.ToLower(prm.Name)] = true
		}
	}
	return out
}

func runQuery(ctx context.Context, p *probe.Pass) {
	t, ok := start(p, ruleQuery)
	if !ok {
		// Keys that get in only together (one in a header, one in the
		// URL): the identity's whole set, accepted, is the base; the
		// control's random value in the query key alone is refused.
		if q, ok := together(p); ok && p.First(ruleQuery+"|"+p.Endpoint.Key()) {
			configuredInQuery(ctx, p, q)
		}
		return
	}
	// A key the identity sends in the query string, also when it is not
	// its first (two keys together, one in a header and one in the URL).
	for _, sl := range slots.Of(t.base, p.Inventory()) {
		if sl.Kind == slots.Key && sl.In == slots.Query {
			q := *t
			q.slot = sl
			configuredInQuery(ctx, p, &q)
			return
		}
	}
	names := queryNames(t.slot, declaredQuery(p), querySchemes(p))
	moved := func(v string, names ...string) identity.Creds {
		c := t.slot.Without(t.base)
		for _, n := range names {
			c.Query[n] = v
		}
		return c
	}
	// One request with every name; only when it gets in, find which.
	all := t.sendCreds(ctx, "key in the query string", moved(t.slot.Value, names...))
	if !accepted2xx(all) {
		return
	}
	for _, n := range names {
		o := t.sendCreds(ctx, "key in ?"+n, moved(t.slot.Value, n))
		if !accepted2xx(o) {
			continue
		}
		ctl := t.sendCreds(ctx, "random key in ?"+n+" (control)", moved(slots.RandomLike(t.slot.Value), n))
		if !ctl.Rejected() {
			p.Note(fmt.Sprintf("%s: key in ?%s accepted, but a random key there was not refused (%s)", p.Endpoint.Key(), n, ctl.Why))
			return
		}
		t.report(ruleQuery, o,
			fmt.Sprintf("identity %s's key was accepted from the query parameter %q with no %s", p.Identity.Name, n, t.slot),
			fmt.Sprintf("accepted (%s)", o.Why),
			fmt.Sprintf("a random key in ?%s was refused (status %d)", n, ctl.Sample.Status))
		return
	}
}

// together is the target of an identity's query key when its keys get
// in only as a set: its own matrix cell accepted on a gated endpoint, no
// random key accepted.
func together(p *probe.Pass) (*target, bool) {
	cells := p.Matrix(p.Endpoint)
	if badKeyAccepted(cells) {
		return nil, false
	}
	for _, sl := range slots.Of(p.Creds, p.Inventory()) {
		if sl.Kind != slots.Key || sl.In != slots.Query {
			continue
		}
		for _, c := range cells {
			if c.Identity == p.Identity.Name && c.Variant == slots.CellIdentity && c.Verdict() == oracle.Accepted && c.Ref != nil && c.Ref.Gated {
				return &target{p: p, slot: sl, base: c.Creds, cal: c.Ref}, true
			}
		}
	}
	return nil, false
}

// runInvalid reads the matrix: a random key alone got in where no
// credential does not. It reproduces with another random key and re-sends
// the anonymous request as the control.
func runInvalid(ctx context.Context, p *probe.Pass) {
	for _, ep := range p.Endpoints() {
		if ctx.Err() != nil {
			return
		}
		cells := p.Matrix(ep)
		var bad *probe.Cell
		for i, c := range cells {
			if c.Variant == slots.CellBadKey && accepted2xx(c.Outcome) {
				bad = &cells[i]
			}
		}
		if bad == nil || len(cells) == 0 || cells[0].Verdict() != oracle.Rejected {
			continue
		}
		sl, ok := slots.First(slots.Of(bad.Creds, p.Inventory()), slots.Key)
		if !ok {
			continue
		}
		again := p.Send(ctx, ep, nil, sl.Alone(slots.RandomLike(sl.Value)), bad.Ref)
		if !again.Accepted() {
			p.Note(fmt.Sprintf("%s: a random key was accepted once, not on reproduction (%s)", ep.Key(), again.Why))
			continue
		}
		ctl := p.Send(ctx, ep, nil, identity.Creds{}, bad.Ref)
		if !ctl.Rejected() {
			p.Note(fmt.Sprintf("%s: a random key was accepted, but the request without a key was not refused on reproduction (%s)", ep.Key(), ctl.Why))
			continue
		}
		pass := &probe.Pass{Env: p.Env, Endpoint: ep}
		f := pass.Finding(catalog.New(ruleInvalid))
		f.Identity = bad.Identity
		f.Confidence = finding.Confirmed
		f.Message = fmt.Sprintf("a random value of the same shape as identity %s's key in %s was accepted, twice, with two different random keys", bad.Identity, sl)
		f.Evidence = pass.Evidence(bad.Outcome, fmt.Sprintf("two random keys accepted (%s)", bad.Outcome.Why),
			fmt.Sprintf("the same request without a key was refused (status %d)", ctl.Sample.Status))
		p.Report(f)
	}
}

// configuredInQuery: the identity's key travels in the query string (its
// configured placement) and the endpoint serves it, where a random key
// there is refused: the URL carries the key into logs and Referer headers.
func configuredInQuery(ctx context.Context, p *probe.Pass, t *target) {
	o := t.sendCreds(ctx, "key in ?"+t.slot.Name, t.base)
	if !accepted2xx(o) {
		return
	}
	ctl := t.send(ctx, "random key in ?"+t.slot.Name+" (control)", slots.RandomLike(t.slot.Value))
	if !ctl.Rejected() {
		return
	}
	t.report(ruleQuery, o,
		fmt.Sprintf("identity %s's key travels in the query parameter %q, where server logs, proxies and Referer headers keep it", p.Identity.Name, t.slot.Name),
		fmt.Sprintf("accepted (%s)", o.Why),
		fmt.Sprintf("a random key in ?%s was refused (status %d)", t.slot.Name, ctl.Sample.Status))
}
