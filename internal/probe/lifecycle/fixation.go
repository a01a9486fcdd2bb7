package lifecycle

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
)

// runFixation: for each identity whose login yields a cookie session, get
// a session id before login (from a GET of the login URL, else a planted
// one), log in sending it, and try it on an endpoint the identity opens.
func runFixation(ctx context.Context, p *probe.Pass) {
	for _, a := range accounts(p) {
		if a.id.Login.Token != "" {
			continue
		}
		if !p.First("fixation|" + a.method + " " + a.url) {
			continue
		}
		fixation(ctx, p, a)
	}
}

func fixation(ctx context.Context, p *probe.Pass, a *account) {
	ep, cal := gatedGET(p, a.id)
	if ep == nil {
		return
	}
	pre := preLoginCookies(ctx, p, a)
	if len(pre) == 0 {
		return
	}
	for _, v := range pre {
		p.Redactor().Add(v)
	}
	anon := identity.Creds{Cookies: pre}
	if o := p.Send(ctx, ep, nil, anon, cal); !o.Rejected() {
		return // the pre-login session must not open the endpoint yet
	}
	s, err := a.login(ctx, p, a.password, pre)
	if err != nil {
		p.Note(fmt.Sprintf("session fixation: %v", err))
		return
	}
	renewed := true
	for k, v := range pre {
		if s.creds.Cookies[k] == v {
			renewed = false
		}
	}
	o := p.Send(ctx, ep, nil, anon, cal)
	if !o.Accepted() {
		return
	}
	how := "the login answer set the same session id again"
	if renewed {
		how = "the login answer set a new cookie, but the old id was logged in too"
	}
	report(p, RuleFixation, a.endpoint, a.id.Name,
		fmt.Sprintf("a session id obtained before login opened %s after %s logged in with it: %s", ep.Key(), a.user, how),
		evidence(p, o.Request, o.Sample.Status, "pre-login session id accepted after login: "+o.Why, "the same id was rejected before the login"),
		finding.Confirmed)
}

// preLoginCookies are the cookies a GET of the login URL hands out, else
// random values for the cookies a login sets.
func preLoginCookies(ctx context.Context, p *probe.Pass, a *account) map[string]string {
	resp := send(ctx, p, &httpx.Request{Method: http.MethodGet, URL: a.url, Header: http.Header{}, NoRetry: true})
	pre := map[string]string{}
	for _, c := range (&http.Response{Header: resp.Header}).Cookies() {
		if c.Value != "" {
			pre[c.Name] = c.Value
		}
	}
	if len(pre) > 0 {
		return pre
	}
	creds, err := a.id.Creds(ctx, p.Session())
	if err != nil {
		return nil
	}
	for k := range creds.Cookies {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		pre[k] = hex.EncodeToString(b)
	}
	return pre
}
