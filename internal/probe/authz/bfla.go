package authz

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// runBFLA takes the identities with role admin as the reference: on an
// endpoint an admin reaches (2xx) and anonymous requests are refused, which
// the config policy reserves to identities a non-admin is not among — or,
// with no policy for it, whose path is administrative — a non-admin identity
// that reaches it too, with the admin's kind of answer, is a finding.
// Without an admin identity that reaches the endpoint there is no evidence
// of what is privileged, so nothing is reported.
func runBFLA(ctx context.Context, p *probe.Pass) {
	admin := map[string]bool{}
	for _, id := range p.Identities() {
		admin[id.Name] = id.Admin()
	}
	// Without a role in the config, the role split the API's own
	// records show (an admin's record says admin, a member's says user).
	observed := false
	if !slices.Contains(slices.Collect(maps.Values(admin)), true) {
		for name := range principal.ObservedAdmins(p.Env, principal.Selves(ctx, p.Env)) {
			admin[name], observed = true, true
		}
	}
	for _, ep := range p.Endpoints() {
		if ctx.Err() != nil {
			return
		}
		r := rowOf(p, ep)
		if !r.refused() {
			continue
		}
		allowed, hasPolicy := policyFor(p.Settings().Policy, ep)
		if !hasPolicy && !adminLike(ep.Path) {
			continue
		}
		var ref *probe.Cell
		in := r.in()
		for i, c := range in {
			if admin[c.Identity] && (!hasPolicy || allowed[c.Identity]) {
				ref = &in[i]
				break
			}
		}
		if ref == nil {
			continue
		}
		for _, c := range in {
			if admin[c.Identity] || (hasPolicy && allowed[c.Identity]) {
				continue
			}
			if proveBFLA(ctx, p, ep, *ref, c, hasPolicy, observed) {
				break
			}
		}
	}
}

func proveBFLA(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, ref, c probe.Cell, hasPolicy, observed bool) bool {
	again := p.Send(ctx, ep, nil, c.Creds, c.Ref)
	again.Label = c.Identity + " (reproduced)"
	if !ok2xx(again) || oracle.Similarity(again.Sample.Shape(), ref.Outcome.Sample.Shape()) < 0.6 {
		p.Note(fmt.Sprintf("%s: %s reached it once, not like %s on reproduction (%s)", ep.Key(), c.Identity, ref.Identity, status(again)))
		return false
	}
	ctl := sendAnon(ctx, p, ep, c.Ref)
	if !refusedOutcome(ctl) {
		p.Note(fmt.Sprintf("%s: %s reached it, but the anonymous control was not refused (%s)", ep.Key(), c.Identity, status(ctl)))
		return false
	}
	why := "its path is administrative"
	if hasPolicy {
		why = "the scan policy reserves it to other identities"
	}
	roles := ""
	if observed {
		roles = " (the roles are those the API's own records give them)"
	}
	report(p, ruleBFLA, ep, c.Identity, finding.Confirmed, again,
		fmt.Sprintf("non-admin identity %s got the same answer as admin identity %s (status %d), although %s%s", c.Identity, ref.Identity, again.Sample.Status, why, roles),
		fmt.Sprintf("%s answered %d with the admin's kind of content, twice", c.Identity, again.Sample.Status),
		fmt.Sprintf("an anonymous request was refused (status %d)", ctl.Sample.Status))
	return true
}

// policyFor returns the identities the config policy allows on ep and
// whether any pattern covers it. A pattern is a path, optionally preceded
// by a method ("GET /api/admin/*"); "*" matches any characters, "/" too.
func policyFor(policy map[string][]string, ep *inventory.Endpoint) (map[string]bool, bool) {
	allowed, matched := map[string]bool{}, false
	for pat, who := range policy {
		if !policyMatch(pat, ep) {
			continue
		}
		matched = true
		for _, w := range who {
			allowed[w] = true
		}
	}
	return allowed, matched
}

func policyMatch(pat string, ep *inventory.Endpoint) bool { return inventory.PolicyMatch(pat, ep) }
