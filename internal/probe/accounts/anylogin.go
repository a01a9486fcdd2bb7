package accounts

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

const ruleAnyLogin = "account.login-accepts-any-password"

// runAnyLogin logs in once as a user no account has, with a random
// password, through the first identity's login: a login that succeeds, and
// whose token or cookie is then let into an endpoint that refuses
// anonymous requests, checks no password at all. Only a made-up user is
// tried, so no real account's failure count moves.
func runAnyLogin(ctx context.Context, p *probe.Pass) {
	tpl, up, pp := Template(p.Identities())
	if tpl == nil {
		return
	}
	c := fresh()
	l := *tpl.Login
	body := identity.Body(tpl.Login.JSON.With(up, "nobody-"+c.user))
	l.JSON = identity.Body(body.With(pp, c.password))
	ghost := &identity.Identity{Name: "made-up user", Login: &l, Base: identity.Creds{
		Headers: map[string]string{}, Query: map[string]string{}, Cookies: map[string]string{}}}
	creds, err := ghost.Creds(ctx, p.Session())
	if err != nil {
		return // refused: the usual and right answer
	}
	for _, ep := range p.Endpoints() {
		if ctx.Err() != nil || ep.Method != http.MethodGet || strings.Contains(ep.Path, "{") {
			continue
		}
		if !gated(p, ep) {
			continue
		}
		o := p.Send(ctx, ep, nil, creds, nil)
		o.Label = "made-up user logged in with a random password"
		if o.Sample.Unusable() != "" || o.Sample.Status/100 != 2 {
			continue
		}
		f := catalog.New(ruleAnyLogin)
		f.Endpoint = &finding.Endpoint{Method: strings.ToUpper(orPost(l.Method)), Path: pathOf(l.URL)}
		f.Confidence = finding.Confirmed
		f.Message = fmt.Sprintf("a login as a user no account has, with a random password, succeeded, and its credential was let into %s (status %d)", ep.Key(), o.Sample.Status)
		f.Evidence = (&probe.Pass{Env: p.Env}).Evidence(o, "the credential came from logging in as a made-up user", fmt.Sprintf("%s refuses requests without credentials", ep.Key()))
		p.Report(f)
		return
	}
}

// gated: the endpoint refuses anonymous requests (401/403) and serves an
// identity.
func gated(p *probe.Pass, ep *inventory.Endpoint) bool {
	var anon, in bool
	for _, c := range p.Matrix(ep) {
		if c.Outcome == nil || c.Outcome.Sample == nil {
			continue
		}
		st := c.Outcome.Sample.Status
		switch c.Variant {
		case slots.CellAnonymous:
			anon = st == http.StatusUnauthorized || st == http.StatusForbidden
		case slots.CellIdentity:
			in = in || st/100 == 2
		}
	}
	return anon && in
}

func orPost(m string) string {
	if m == "" {
		return http.MethodPost
	}
	return m
}

// pathOf is the path of a login URL (relative, or absolute on the target).
func pathOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Path != "" {
		return u.Path
	}
	return raw
}
