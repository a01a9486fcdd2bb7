package lifecycle

import (
	"context"
	"fmt"
	"net/http"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/probe"
)

// runLogout logs a fresh token out and tries it again. The token is the
// scan's own (a new login), so the identity's working token is untouched;
// throwaway identities go first, and any other is logged in again after.
// When the fresh login is throttled, a throwaway identity's own token is
// logged out instead, and the identity logged in again after.
func runLogout(ctx context.Context, p *probe.Pass) {
	if !p.AllowWrites() {
		return
	}
	done := map[string]bool{}
	for _, a := range accounts(p) {
		fl := flowFor(p, probe.RoleLogout, a.url)
		if fl == nil || done[fl.endpoint.String()] {
			continue
		}
		ep, cal := gatedGET(p, a.id)
		if ep == nil {
			continue
		}
		s, held, err := a.loginOrHeld(ctx, p)
		if err == nil && held && !a.id.Throwaway {
			err = fmt.Errorf("login as %s was throttled; only a throwaway identity's own token is logged out instead", a.user)
		}
		if err != nil {
			p.Note(fmt.Sprintf("logout check: %v", err))
			continue
		}
		if before := p.Send(ctx, ep, nil, s.creds, cal); !before.Accepted() {
			continue // the fresh login does not open the endpoint: not this flow's identity
		}
		done[fl.endpoint.String()] = true
		resp := sendLogout(ctx, p, fl, a, s)
		redirected := resp.Err == nil && resp.Status/100 == 3
		if held {
			p.Note(fmt.Sprintf("logout check: a fresh login as %s was throttled; the token %s holds was logged out instead", a.user, a.id.Name))
		}
		crashed := resp.Err == nil && resp.Status/100 == 5
		if resp.Err != nil || resp.Status/100 != 2 && !redirected && !crashed {
			if held && !p.Send(ctx, ep, nil, s.creds, cal).Accepted() {
				restoreCheck(ctx, p, a.id) // the held token was revoked after all
			}
			p.Note(fmt.Sprintf("%s answered %d to a logout: token reuse after logout not tested", fl.endpoint, resp.Status))
			continue
		}
		after := p.Send(ctx, ep, nil, s.creds, cal)
		// A held token that still works is left with its identity: a new
		// login may be as throttled as the one that made it held.
		if !a.id.Throwaway && !held || held && !after.Accepted() {
			restoreCheck(ctx, p, a.id)
		}
		if redirected {
			// A web logout answers a redirect (to / or the sign-in
			// page): it took effect when the session it ended no longer
			// opens what it opened. A redirect is never proof of the
			// opposite (it may be a refusal), so no finding.
			if after.Rejected() {
				p.Note(fmt.Sprintf("effect: %s answered %d and took effect: the %s it logged out no longer opens %s", fl.endpoint, resp.Status, credWord(s), ep.Key()))
			} else {
				p.Note(fmt.Sprintf("%s answered %d to a logout and the %s still opens %s: a redirect proves nothing either way, not judged", fl.endpoint, resp.Status, credWord(s), ep.Key()))
			}
			continue
		}
		if !after.Accepted() {
			continue
		}
		msg := fmt.Sprintf("after %s answered %d, the logged-out %s of %s still opened %s", fl.endpoint, resp.Status, credWord(s), a.user, ep.Key())
		conf := finding.Confirmed
		if crashed {
			// The logout failed on the server: whatever it meant to
			// revoke, the token outlives it (a client's logout fails the
			// same way, unless it sends a body the scan could not guess).
			msg = fmt.Sprintf("%s failed with a server error (%d) and revoked nothing: the %s of %s still opened %s", fl.endpoint, resp.Status, credWord(s), a.user, ep.Key())
			conf = finding.Firm
		}
		report(p, RuleLogout, fl.endpoint, a.id.Name, msg,
			evidence(p, after.Request, after.Sample.Status, "the token used for logout was accepted again: "+after.Why,
				fmt.Sprintf("before logout it opened %s too; the logout request answered %d", ep.Key(), resp.Status)),
			conf)
	}
}

func credWord(s *session) string {
	if s.token == "" {
		return "session"
	}
	return "token"
}

// sendLogout sends the logout request. One that the flow gives no body and
// that is refused as malformed (400, 415, 422: a view reading a JSON body
// that is not there) is sent again with a JSON body: the login's refresh
// token, which a logout commonly takes to revoke too, else an empty object.
func sendLogout(ctx context.Context, p *probe.Pass, fl *flow, a *account, s *session) *httpx.Response {
	req := fl.request(nil, vars{"username": a.user}, s.creds)
	resp := send(ctx, p, req)
	if len(req.Body) > 0 || resp.Err != nil {
		return resp
	}
	switch resp.Status {
	case http.StatusBadRequest, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity:
	default:
		return resp
	}
	body := map[string]any{}
	if rt := refreshTokenOf(p, s.resp.Body); len(rt) >= 16 && rt != s.token {
		p.Redactor().Add(rt)
		body["refresh_token"] = rt
	}
	return send(ctx, p, fl.request(body, vars{"username": a.user}, s.creds))
}
