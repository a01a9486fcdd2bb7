package lifecycle

import (
	"context"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/probe"
)

// changeBody is the password change body when neither the config nor the
// spec says otherwise.
var changeBody = map[string]any{
	"current_password": "{password}", "old_password": "{password}", "new_password": "{new_password}",
}

// runPassword changes a throwaway account's password, tries the token
// issued before, changes it again without the current password, and puts
// the original password back.
func runPassword(ctx context.Context, p *probe.Pass) {
	if !p.AllowWrites() {
		return
	}
	for _, a := range throwaways(p) {
		fl := flowFor(p, probe.RolePasswordChange, a.url)
		if fl == nil {
			return
		}
		if passwordFlow(ctx, p, a, fl) {
			return
		}
	}
}

// passwordFlow runs the password checks on one account; false when the
// account could not be used (try another).
func passwordFlow(ctx context.Context, p *probe.Pass, a *account, fl *flow) bool {
	ep, cal := gatedGET(p, a.id)
	if ep == nil {
		return false
	}
	old, err := a.login(ctx, p, a.password, nil)
	if err != nil {
		p.Note(fmt.Sprintf("password checks: %v", err))
		return false
	}
	if o := p.Send(ctx, ep, nil, old.creds, cal); !o.Accepted() {
		return false
	}
	fl = ownPath(ctx, p, shapedLike(fl, a), a)
	current := a.password
	defer func() { restorePassword(ctx, p, a, fl, current) }()

	p1 := newPassword()
	p.Redactor().Add(p1)
	res := change(ctx, p, fl, old, vars{"password": current, "new_password": p1, "username": a.user}, nil)
	if res.status/100 != 2 {
		p.Note(fmt.Sprintf("%s answered %d to a password change with the current password: password checks not run", fl.endpoint, res.status))
		return true
	}
	fresh, err := a.login(ctx, p, p1, nil)
	if err != nil {
		p.Note(fmt.Sprintf("%s answered %d but the new password does not log in: password checks not run", fl.endpoint, res.status))
		return true
	}
	current = p1
	if o := p.Send(ctx, ep, nil, old.creds, cal); o.Accepted() {
		report(p, RulePasswordRevoke, fl.endpoint, a.id.Name,
			fmt.Sprintf("after the password of %s was changed through %s, a token issued before the change still opened %s", a.user, fl.endpoint, ep.Key()),
			evidence(p, o.Request, o.Sample.Status, "token from before the change accepted: "+o.Why, "the new password logs in, so the change took effect"),
			finding.Confirmed)
	}

	p2 := newPassword()
	p.Redactor().Add(p2)
	bare := fl.without(changeBody, "password")
	res = change(ctx, p, bare, fresh, vars{"new_password": p2, "username": a.user}, nil)
	if res.status/100 != 2 {
		return true
	}
	if _, err := a.login(ctx, p, p2, nil); err != nil {
		return true
	}
	current = p2
	report(p, RuleNoCurrent, fl.endpoint, a.id.Name,
		fmt.Sprintf("%s changed the password of %s without the current password (answered %d; the new password logs in)", fl.endpoint, a.user, res.status),
		evidence(p, res.req, res.status, "password changed with no current password in the request", "the new password logs in and the one before does not matter"),
		finding.Confirmed)
	return true
}

// change sends a password change with the session's credentials.
func change(ctx context.Context, p *probe.Pass, fl *flow, s *session, v vars, def map[string]any) *flowResult {
	if def == nil {
		def = changeBody
	}
	req := fl.request(def, v, s.creds)
	resp := send(ctx, p, req)
	return &flowResult{req: req, status: resp.Status}
}

// restorePassword sets the account's configured password again.
func restorePassword(ctx context.Context, p *probe.Pass, a *account, fl *flow, current string) {
	if current != a.password {
		s, err := a.login(ctx, p, current, nil)
		if err == nil {
			change(ctx, p, fl, s, vars{"password": current, "new_password": a.password, "username": a.user}, nil)
		}
	}
	if _, err := a.login(ctx, p, a.password, nil); err != nil {
		p.Note(fmt.Sprintf("could not put back the password of throwaway identity %s (it is now %q): %v", a.id.Name, current, err))
		return
	}
	restoreCheck(ctx, p, a.id)
}

// shapedLike gives a password change whose body nothing says (no config,
// no spec body) the envelope of the account's login body: a login that
// sends {"user": {"email", "password"}} is changed with {"user":
// {"password": new, "current_password": old}}.
func shapedLike(fl *flow, a *account) *flow {
	dot := strings.LastIndex(a.pwField, ".")
	if fl.json != nil || fl.form != nil || dot < 0 {
		return fl
	}
	c := *fl
	c.json = identity.Body{}.With(a.pwField, "{new_password}")
	c.json = identity.Body(c.json).With(a.pwField[:dot+1]+"current_password", "{password}")
	return &c
}
