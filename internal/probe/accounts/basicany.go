package accounts

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// basicAnyPassword tries the identities whose credential is HTTP Basic
// itself (the Authorization header carries a user name and password on
// every request): a made-up user with a random password, then with each
// injection, first on the logins the scan discovered (a POST the source or
// path names a login), then on a gated read the identity gets into. The
// random password must be refused where the injection is let in: the
// route checks the password, in SQL it pastes together.
func basicAnyPassword(ctx context.Context, p *probe.Pass) {
	for _, id := range p.Identities() {
		creds, err := id.Creds(ctx, p.Session())
		if err != nil {
			continue
		}
		name := basicHeaderOf(creds)
		if name == "" {
			continue
		}
		user := "nobody-" + fresh().user
		with := func(pw string) identity.Creds {
			c := creds.Clone()
			c.Headers[name] = identity.BasicHeader(user, pw)
			return c
		}
		for _, ep := range basicTargets(p, id.Name) {
			if ctx.Err() != nil {
				return
			}
			ctl := p.Send(ctx, ep, nil, with(fresh().password), nil)
			if ctl.Sample.Unusable() != "" || ctl.Sample.Status/100 == 2 {
				continue // the control must be refused
			}
			for _, pw := range injections {
				o := p.Send(ctx, ep, nil, with(pw), nil)
				o.Label = "made-up user, HTTP Basic, injected password"
				if o.Sample.Unusable() != "" || o.Sample.Status/100 != 2 || !loggedIn(ep, o) {
					continue
				}
				f := catalog.New(ruleAnyLogin)
				f.Endpoint = &finding.Endpoint{Method: ep.Method, Path: ep.Path}
				f.Confidence = finding.Confirmed
				f.Message = fmt.Sprintf("HTTP Basic as a user no account has, with a password that closes a quoted SQL string and adds OR '1'='1, is let into %s (status %d); the same user with a random password is refused (%d)",
					ep.Key(), o.Sample.Status, ctl.Sample.Status)
				f.Evidence = (&probe.Pass{Env: p.Env}).Evidence(o, "the Authorization header names a made-up user and the injected password", fmt.Sprintf("the same request with a random password answers %d", ctl.Sample.Status))
				p.Report(f)
				return
			}
		}
		// The header names a made-up user: one identity's reads tell
		// what another's would.
		return
	}
}

// basicHeaderOf names the header of creds that carries HTTP Basic.
func basicHeaderOf(c identity.Creds) string {
	for k, v := range c.Headers {
		if _, _, ok := identity.ParseBasic(v); ok {
			return k
		}
	}
	return ""
}

// basicTargets are the logins the scan discovered (a POST whose code or
// path names a login), then the gated reads without path parameters the
// identity gets into.
func basicTargets(p *probe.Pass, who string) []*inventory.Endpoint {
	var logins, reads []*inventory.Endpoint
	flows := p.Settings().Flows
	// Logins are POSTs: the reads' list does not hold them.
	for i := range p.Inventory().Endpoints {
		ep := &p.Inventory().Endpoints[i]
		if ep.Method == http.MethodPost && (flows.Hints[ep.Key()] == probe.RoleLogin || flows.Role(ep) == "" && probe.LoginPath(ep.Path)) {
			logins = append(logins, ep)
		}
	}
	for _, ep := range p.Endpoints() {
		switch {
		case ep.Method == http.MethodGet && !strings.Contains(ep.Path, "{") && gatedBy(p, ep) != nil && servedTo(p, ep, who):
			reads = append(reads, ep)
		}
	}
	if len(reads) > 1 {
		reads = reads[:1]
	}
	return append(logins, reads...)
}

func servedTo(p *probe.Pass, ep *inventory.Endpoint, who string) bool {
	for _, c := range p.Matrix(ep) {
		if c.Identity == who && c.Outcome != nil && c.Outcome.Sample != nil && c.Outcome.Sample.Status/100 == 2 {
			return true
		}
	}
	return false
}

// loggedIn: a gated read served is in; a login's answer must hand out a
// credential (a JWT, or a field named like a token) or set a cookie.
func loggedIn(ep *inventory.Endpoint, o *probe.Outcome) bool {
	if ep.Method == http.MethodGet {
		return true
	}
	if len(o.Sample.Header.Values("Set-Cookie")) > 0 {
		return true
	}
	for _, f := range strings.FieldsFunc(string(o.Sample.Body), func(r rune) bool { return strings.ContainsRune("\"' ,:{}[]", r) }) {
		if principal.Claims(f) != nil {
			return true
		}
	}
	return strings.Contains(strings.ToLower(string(o.Sample.Body)), "token")
}
