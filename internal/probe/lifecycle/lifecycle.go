// Package lifecycle proves account and session lifecycle weaknesses live:
// tokens that outlive logout or a password change, refresh and access
// tokens taken in each other's place, password changes without the current
// password, account enumeration by answer or timing, session fixation and
// weak password reset tokens. Flows come from config flows:, from the
// source (scan --source) or from paths that name them. Whatever changes
// state needs --allow-writes, and passwords are only ever changed on
// identities the config marks throwaway, and put back afterwards.
package lifecycle

import (
	"context"
	"fmt"
	"net/http"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// Rules reported by the lifecycle checks.
const (
	RuleLogout          = "session.logout-not-revoked"
	RulePasswordRevoke  = "session.password-change-not-revoked"
	RuleRefreshAsAccess = "session.refresh-as-access"
	RuleAccessAtRefresh = "session.access-at-refresh"
	RuleFixation        = "session.fixation"
	RuleNoCurrent       = "account.password-change-without-current"
	RuleEnumeration     = "account.user-enumeration"
	RuleEnumTiming      = "account.user-enumeration-timing"
	RuleResetInResponse = "account.reset-token-in-response"
	RuleResetReusable   = "account.reset-token-reusable"
	RuleResetGuessable  = "account.reset-token-guessable"
	RuleResetNoExpiry   = "account.reset-token-no-expiry"
)

// Checks are the lifecycle checks, in the order they run: those that only
// log in first, then those that write, the password ones last. Register
// them before the brute-force check, whose lockouts would blind them.
func Checks() []probe.Check {
	return []probe.Check{
		{ID: "account.enumeration", Scope: probe.PerScan, Rules: []string{RuleEnumeration, RuleEnumTiming}, Run: runEnumeration,
			Doc: "compares failed logins (and, with --allow-writes, reset requests) for an existing and a made-up account: status, message, length, and timing over interleaved samples"},
		{ID: "session.fixation", Scope: probe.PerScan, Rules: []string{RuleFixation}, Run: runFixation, GateRules: []string{RuleFixation},
			Doc: "logs a cookie-session identity in while sending a session id obtained before login, then tries that id"},
		{ID: "session.refresh", Scope: probe.PerScan, Rules: []string{RuleRefreshAsAccess, RuleAccessAtRefresh}, Run: runRefresh, GateRules: []string{RuleRefreshAsAccess, RuleAccessAtRefresh},
			Doc: "sends the login's refresh token to protected GET endpoints, and (--allow-writes) an access token to the refresh request"},
		{ID: "session.logout", Scope: probe.PerScan, Rules: []string{RuleLogout}, Run: runLogout, GateRules: []string{RuleLogout},
			Doc: "(--allow-writes) logs out a token of a fresh login and tries it again"},
		{ID: "account.reset", Scope: probe.PerScan, Rules: []string{RuleResetInResponse, RuleResetGuessable, RuleResetNoExpiry, RuleResetReusable}, Run: runReset,
			Doc: "(--allow-writes, throwaway identity) asks for a password reset, spends a token the answer carries twice, and puts the password back"},
		{ID: "account.reset-no-proof", Scope: probe.PerScan, Rules: []string{RuleResetNoProof}, Run: runResetNoProof,
			Doc: "(--allow-writes, throwaway identity) sets the password through a reset that takes only a user and a new password, signs in with it, and puts the password back"},
		{ID: "account.password", Scope: probe.PerScan, Rules: []string{RulePasswordRevoke, RuleNoCurrent}, Run: runPassword, GateRules: []string{RulePasswordRevoke},
			Doc: "(--allow-writes, throwaway identity) changes the password, tries the old token, changes it without the current password, and puts it back"},
	}
}

// report records a lifecycle finding.
func report(p *probe.Pass, rule string, ep *finding.Endpoint, id, msg string, ev *finding.Evidence, conf finding.Confidence) {
	f := catalog.New(rule)
	f.Endpoint, f.Identity, f.Message, f.Evidence, f.Confidence = ep, id, msg, ev, conf
	p.Report(f)
}

// evidence is the proof of a finding from the request that shows it.
func evidence(p *probe.Pass, req *httpx.Request, status int, proof, control string) *finding.Evidence {
	r := p.Redactor()
	ev := &finding.Evidence{Proof: proof, Control: control, Status: status}
	if req != nil {
		ev.Curl = r.Curl(req)
		ev.Request = req.Method + " " + r.URL(req)
	}
	return ev
}

// send sends a request as is, through the scan's client.
func send(ctx context.Context, p *probe.Pass, req *httpx.Request) *httpx.Response {
	return p.Session().Client.Do(ctx, req)
}

// throwaways are the accounts the config lets the scan change.
func throwaways(p *probe.Pass) []*account {
	var out []*account
	for _, id := range p.Identities() {
		if !id.Throwaway {
			continue
		}
		if a, ok := accountOf(p, id); ok {
			out = append(out, a)
		}
	}
	return out
}

// accounts are the identities with a login whose body names user and
// password, throwaway ones first.
func accounts(p *probe.Pass) []*account {
	out := throwaways(p)
	for _, id := range p.Identities() {
		if id.Throwaway {
			continue
		}
		if a, ok := accountOf(p, id); ok {
			out = append(out, a)
		}
	}
	return out
}

// restoreCheck makes sure an identity the scan works with still logs in
// after a lifecycle check; it says so loudly when not.
func restoreCheck(ctx context.Context, p *probe.Pass, id *identity.Identity) {
	id.Forget() // the checks may have revoked its token (a password change does, where it should)
	if err := id.Relogin(ctx, p.Session()); err != nil {
		p.Note(fmt.Sprintf("identity %s no longer logs in after the lifecycle checks: %v", id.Name, err))
	}
}

// gatedGET is an endpoint that the identity's credential opens (2xx) and
// a missing one does not: where a token is tried after logout.
func gatedGET(p *probe.Pass, id *identity.Identity) (*inventory.Endpoint, *oracle.Calibration) {
	var best *inventory.Endpoint
	var bestCal *oracle.Calibration
	for _, ep := range p.Endpoints() {
		if ep.Method != http.MethodGet {
			continue
		}
		cal := p.Calibration(ep, id)
		if !servedGated(cal) {
			continue
		}
		if best == nil || len(ep.Params) < len(best.Params) {
			best, bestCal = ep, cal
		}
	}
	return best, bestCal
}

// servedGated: the missing credential is refused and the identity's is
// served (2xx). An administrators' route that answers the identity 403 is
// gated too, but a token "still opening" it proves nothing.
func servedGated(cal *oracle.Calibration) bool {
	if cal == nil || !cal.Gated || len(cal.Accepted) == 0 {
		return false
	}
	for _, s := range cal.Accepted {
		if s.Status/100 != 2 {
			return false
		}
	}
	return true
}

// gatedGETs are every such endpoint.
func gatedGETs(p *probe.Pass, id *identity.Identity) []*inventory.Endpoint {
	var out []*inventory.Endpoint
	for _, ep := range p.Endpoints() {
		if cal := p.Calibration(ep, id); ep.Method == http.MethodGet && servedGated(cal) {
			out = append(out, ep)
		}
	}
	return out
}
