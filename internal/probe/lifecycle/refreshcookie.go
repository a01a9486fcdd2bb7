package lifecycle

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
)

// refreshCookies runs the refresh checks on a cookie login that sets a
// refresh token in its own cookie (flask-jwt-extended's
// set_refresh_cookies: refresh_token_cookie, or the name the app gives
// it), beside the access cookie: the refresh token sent in the access
// cookie's place to the endpoints the session opens, and (--allow-writes)
// the access token sent in the refresh cookie's place to the refresh
// request, whose own refresh cookie must get a new access cookie first.
func refreshCookies(ctx context.Context, p *probe.Pass, a *account, s *session) {
	access, refresh := cookiePair(s.creds.Cookies)
	if access == "" || refresh == "" {
		return
	}
	rt := s.creds.Cookies[refresh]
	if len(rt) < 16 {
		return
	}
	only := func(name, value string) identity.Creds {
		c := a.id.Base.Clone()
		c.Cookies = map[string]string{name: value}
		return c
	}
	for _, ep := range gatedGETs(p, a.id) {
		cal := p.Calibration(ep, a.id)
		o := p.Send(ctx, ep, nil, only(access, rt), cal)
		if !o.Accepted() || o.Sample.Status/100 != 2 {
			continue
		}
		ctl := p.Send(ctx, ep, nil, only(access, rt[:len(rt)-4]+"AAAA"), cal)
		if !ctl.Rejected() {
			continue
		}
		report(p, RuleRefreshAsAccess, &finding.Endpoint{Method: ep.Method, Path: ep.Path}, a.id.Name,
			fmt.Sprintf("the refresh token of a fresh login as %s (cookie %s), sent as the access cookie %s, opened %s", a.user, refresh, access, ep.Key()),
			evidence(p, o.Request, o.Sample.Status, "refresh token accepted: "+o.Why, "the same token with its signature changed was rejected"),
			finding.Confirmed)
	}
	fl := flowFor(p, probe.RoleRefresh, a.url)
	if fl == nil || fl.method != http.MethodGet && !p.AllowWrites() {
		return
	}
	issued := func(creds identity.Creds) (bool, *flowResult) {
		req := fl.request(nil, vars{"refresh_token": rt}, creds)
		resp := send(ctx, p, req)
		got := false
		for _, c := range (&http.Response{Header: resp.Header}).Cookies() {
			if c.Name == access && c.Value != "" {
				p.Redactor().Add(c.Value)
				got = true
			}
		}
		return resp.Err == nil && resp.Status/100 == 2 && got, &flowResult{req: req, status: resp.Status}
	}
	if ok, res := issued(only(refresh, rt)); !ok {
		p.Note(fmt.Sprintf("%s did not set a new %s cookie for its own refresh cookie (%d): access tokens not tried there", fl.endpoint, access, res.status))
		return
	}
	if ok, _ := issued(a.id.Base.Clone()); ok {
		return // issues tokens to anyone: another finding's business
	}
	ok, res := issued(only(refresh, s.creds.Cookies[access]))
	if !ok {
		return
	}
	report(p, RuleAccessAtRefresh, fl.endpoint, a.id.Name,
		fmt.Sprintf("%s set a new access cookie in exchange for an access token of %s sent as its refresh cookie %s", fl.endpoint, a.user, refresh),
		evidence(p, res.req, res.status, "a new access cookie came back for an access token", "the same request without a token got none"),
		finding.Confirmed)
}

// cookiePair names a cookie login's access and refresh cookies: the one
// named like a refresh token, and the other JWT-shaped one (named like an
// access token first); "" when there is no such pair.
func cookiePair(cookies map[string]string) (access, refresh string) {
	var jwts []string
	for name, v := range cookies {
		if strings.Count(v, ".") != 2 {
			continue
		}
		if strings.Contains(strings.ToLower(name), "refresh") {
			if refresh == "" || name < refresh {
				refresh = name
			}
			continue
		}
		jwts = append(jwts, name)
	}
	for _, n := range jwts {
		l := strings.ToLower(n)
		switch {
		case strings.Contains(l, "access") && (access == "" || !strings.Contains(strings.ToLower(access), "access") || n < access):
			access = n
		case access == "" || !strings.Contains(strings.ToLower(access), "access") && n < access:
			access = n
		}
	}
	return access, refresh
}
