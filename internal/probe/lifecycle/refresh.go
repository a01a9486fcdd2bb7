package lifecycle

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
)

// refreshPaths are where login answers usually carry a refresh token.
var refreshPaths = []string{"refresh_token", "refreshToken", "refresh", "data.refresh_token", "tokens.refresh"}

// refreshTokenOf finds the refresh token in a login answer.
func refreshTokenOf(p *probe.Pass, body []byte) string {
	paths := refreshPaths
	if rp := p.Settings().Flows.RefreshToken; rp != "" {
		paths = []string{rp}
	}
	for _, path := range paths {
		if t := dig(body, path); t != "" {
			return t
		}
	}
	if len(p.Settings().Flows.RefreshToken) > 0 {
		return ""
	}
	// Anywhere else in the answer ({"user": {"refresh_token": ...}}): a
	// string field named like a refresh token.
	var v any
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	return findRefresh(v, 0)
}

func findRefresh(v any, depth int) string {
	m, ok := v.(map[string]any)
	if !ok || depth > 3 {
		return ""
	}
	for k, x := range m {
		if s, ok := x.(string); ok && strings.Contains(strings.ToLower(k), "refresh") {
			return s
		}
	}
	for _, x := range m {
		if s := findRefresh(x, depth+1); s != "" {
			return s
		}
	}
	return ""
}

func runRefresh(ctx context.Context, p *probe.Pass) {
	seen := map[string]bool{}
	for _, a := range accounts(p) {
		if seen[a.method+" "+a.url] {
			continue
		}
		seen[a.method+" "+a.url] = true
		s, _, err := a.loginOrHeld(ctx, p) // nothing here revokes the access token
		if err != nil {
			p.Note(fmt.Sprintf("refresh checks: %v", err))
			continue
		}
		if a.id.Login.Token == "" {
			// A cookie login: the refresh token may be one of its cookies.
			refreshCookies(ctx, p, a, s)
			continue
		}
		rt := refreshTokenOf(p, s.resp.Body)
		if len(rt) < 16 || rt == s.token {
			continue // no refresh token: nothing to test
		}
		p.Redactor().Add(rt)
		refreshAsAccess(ctx, p, a, s, rt)
		if fl := flowFor(p, probe.RoleRefresh, a.url); fl != nil {
			accessAtRefresh(ctx, p, a, s, rt, fl)
		}
	}
}

// refreshAsAccess tries the refresh token on every endpoint the identity's
// access token opens and a missing one does not.
func refreshAsAccess(ctx context.Context, p *probe.Pass, a *account, s *session, rt string) {
	creds := withToken(a.id, a.id.Base, rt)
	for _, ep := range gatedGETs(p, a.id) {
		cal := p.Calibration(ep, a.id)
		o := p.Send(ctx, ep, nil, creds, cal)
		// Opened: served (2xx), not only let past authentication to a
		// 403 that the access token gets too (an administrators' route).
		if !o.Accepted() || o.Sample.Status/100 != 2 {
			continue
		}
		// Control: the same endpoint refuses a token that is not one.
		ctl := p.Send(ctx, ep, nil, withToken(a.id, a.id.Base, rt[:len(rt)-4]+"AAAA"), cal)
		if !ctl.Rejected() {
			continue
		}
		report(p, RuleRefreshAsAccess, &finding.Endpoint{Method: ep.Method, Path: ep.Path}, a.id.Name,
			fmt.Sprintf("the refresh token of a fresh login as %s opened %s like an access token", a.user, ep.Key()),
			evidence(p, o.Request, o.Sample.Status, "refresh token accepted: "+o.Why, "the same token with its signature changed was rejected"),
			finding.Confirmed)
	}
}

// accessAtRefresh sends the access token to the refresh request; its own
// refresh token must work there (control) and no token must not.
func accessAtRefresh(ctx context.Context, p *probe.Pass, a *account, s *session, rt string, fl *flow) {
	if fl.method != http.MethodGet && !p.AllowWrites() {
		return
	}
	path := fl.token
	if path == "" {
		path = a.id.Login.Token
	}
	issued := func(creds identity.Creds) (bool, int, *flowResult) {
		req := fl.request(nil, vars{"refresh_token": rt}, creds)
		resp := send(ctx, p, req)
		tok := dig(resp.Body, path)
		if tok != "" {
			p.Redactor().Add(tok)
		}
		return resp.Err == nil && resp.Status/100 == 2 && tok != "", resp.Status, &flowResult{req: req, status: resp.Status}
	}
	if ok, st, _ := issued(withToken(a.id, a.id.Base, rt)); !ok {
		p.Note(fmt.Sprintf("%s did not issue a token for its own refresh token (%d): access tokens not tried there", fl.endpoint, st))
		return
	}
	if ok, _, _ := issued(a.id.Base.Clone()); ok {
		return // issues tokens to anyone: another finding's business
	}
	ok, _, res := issued(s.creds)
	if !ok {
		return
	}
	report(p, RuleAccessAtRefresh, fl.endpoint, a.id.Name,
		fmt.Sprintf("%s issued a new access token in exchange for an access token of %s", fl.endpoint, a.user),
		evidence(p, res.req, res.status, "a new token came back for an access token", "the same request without a token got no token"),
		finding.Confirmed)
}
