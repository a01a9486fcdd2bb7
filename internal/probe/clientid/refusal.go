package clientid

import (
	"net/http"

	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// refusedCaller: s refuses the caller. 401, 403, a redirect to sign in
// and a 2xx error envelope say so on their own (authRefusal). Any other
// answer — a 404 that hides the route, a 422, a steady 500 — says so only
// as the calibrated verdict does: it is the very refusal (status and
// shape) a request without credentials got on an endpoint where an
// identity's credentials were served. A 400 or 404 of validation (a
// parameter missing) is not the API's answer to a missing credential, and
// matches none.
func refusedCaller(p *probe.Pass, s *oracle.Sample) bool {
	if authRefusal(s) {
		return true
	}
	if s == nil || s.Err != nil || s.Status < 400 || s.Status == http.StatusTooManyRequests {
		return false
	}
	for _, ep := range p.Endpoints() {
		anon := p.Anonymous(ep)
		if anon == nil || !oracle.SameRefusal(s, anon) {
			continue
		}
		for _, id := range p.Identities() {
			if cal := p.Calibration(ep, id); cal != nil && cal.Gated {
				return true
			}
		}
	}
	return false
}

// refusedAlike: s refuses the caller as the request without credentials
// (anon) was refused. A refusal whose status says so on its own may take
// another form (a 401 where the anonymous request got a 403); any other
// must be that same refusal, so that a made-up value answered "no such
// user" is not taken for the gate's "not found".
func refusedAlike(p *probe.Pass, s, anon *oracle.Sample) bool {
	if authRefusal(s) && authRefusal(anon) {
		return true
	}
	return refusedCaller(p, s) && oracle.SameRefusal(s, anon)
}

// authRefusal: an answer that refuses the caller — 401, 403, a redirect
// to sign in, or a 2xx error envelope — not a validation error.
func authRefusal(s *oracle.Sample) bool {
	if !oracle.Refusal(s) {
		return false
	}
	return s.Status == 401 || s.Status == 403 || s.Status/100 == 2 || oracle.LoginRedirect(s)
}
