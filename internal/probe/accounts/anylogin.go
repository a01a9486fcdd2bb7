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
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

const ruleAnyLogin = "account.login-accepts-any-password"

// injections are passwords that turn a login whose SQL is pasted
// together into a tautology (single- and double-quoted strings): read-only,
// they change nothing, and a login that binds its parameters just refuses
// them as wrong passwords.
var injections = []string{`x' OR '1'='1`, `x" OR "1"="1`}

// runAnyLogin logs in as a user no account has through the login of the
// first identity that has one, whatever carries its user name and
// password (a JSON body, a form, an HTTP Basic header): first with a
// random password, then with each of the injections. A login that
// succeeds, and whose token or cookie is then let into an endpoint that
// refuses anonymous requests, checks no password (or pastes it into its
// SQL). Identities whose credential is HTTP Basic itself are tried the
// same way on the routes it guards (basicAnyPassword). Only a made-up
// user is tried, so no real account's failure count moves.
func runAnyLogin(ctx context.Context, p *probe.Pass) {
	if loginAnyPassword(ctx, p) {
		return
	}
	basicAnyPassword(ctx, p)
}

func loginAnyPassword(ctx context.Context, p *probe.Pass) bool {
	tpl, how, up, pp := accountTemplate(p.Identities())
	if tpl == nil {
		return false
	}
	c := fresh()
	user := "nobody-" + c.user
	if b, _, _ := loginFields(tpl.Login); b != nil {
		if v, _ := b.Lookup(up); strings.Contains(fmt.Sprint(v), "@") {
			user = "nobody-" + c.email
		}
	}
	r := &Registrar{carrier: how, userPath: up, passPath: pp}
	refused := false
	for i, pw := range append([]string{c.password}, injections...) {
		l := r.loginAs(tpl.Login, user, pw)
		ghost := &identity.Identity{Name: "made-up user", Login: l, Base: identity.Creds{
			Headers: map[string]string{}, Query: map[string]string{}, Cookies: map[string]string{}}}
		creds, err := ghost.Creds(ctx, p.Session())
		if err != nil {
			refused = refused || i == 0
			continue // refused: the usual and right answer
		}
		how := "with a random password"
		if i > 0 {
			how = "with a password that closes a quoted SQL string and adds OR '1'='1 (no password, the query's own tautology)"
		}
		f := catalog.New(ruleAnyLogin)
		f.Endpoint = &finding.Endpoint{Method: strings.ToUpper(orPost(l.Method)), Path: pathOf(l.URL)}
		f.Confidence = finding.Confirmed
		ep, o := letIn(ctx, p, creds, "made-up user logged in")
		switch {
		case o != nil:
			f.Message = fmt.Sprintf("a login as a user no account has, %s, succeeded, and its credential was let into %s (status %d)", how, ep.Key(), o.Sample.Status)
			f.Evidence = (&probe.Pass{Env: p.Env}).Evidence(o, "the credential came from logging in as a made-up user "+how, fmt.Sprintf("%s refuses requests without credentials", ep.Key()))
		case i > 0 && refused && l.Token != "":
			// No route to spend it on (or none that checks it): the
			// login's own answer is the proof, beside its refusal of
			// the same user with a random password.
			if o = loginAgain(ctx, p, l); o == nil {
				continue
			}
			f.Message = fmt.Sprintf("a login as a user no account has, %s, is answered %d with a token at %s; the same user with a random password is refused", how, o.Sample.Status, l.Token)
			f.Evidence = (&probe.Pass{Env: p.Env}).Evidence(o, "the login issued a token to a made-up user "+how, "the same login with a random password was refused")
		default:
			continue
		}
		p.Report(f)
		return true
	}
	return false
}

// loginAgain sends l once more, anonymously, for the evidence: nil unless
// it is served.
func loginAgain(ctx context.Context, p *probe.Pass, l *identity.Login) *probe.Outcome {
	u, err := p.Session().Resolve(l.URL)
	if err != nil {
		return nil
	}
	req := loginRequest(u, l)
	req.Identity = "made-up user (login, answer read)"
	o := p.Send(ctx, nil, req, identity.Creds{}, nil)
	if o.Sample.Unusable() != "" || o.Sample.Status/100 != 2 {
		return nil
	}
	return o
}

// letIn is the first gated read without path parameters that creds get
// into, and its answer (labelled label).
func letIn(ctx context.Context, p *probe.Pass, creds identity.Creds, label string) (*inventory.Endpoint, *probe.Outcome) {
	for _, ep := range p.Endpoints() {
		if ctx.Err() != nil || ep.Method != http.MethodGet || strings.Contains(ep.Path, "{") {
			continue
		}
		cal := gatedBy(p, ep)
		if cal == nil {
			continue
		}
		o := p.Send(ctx, ep, nil, creds, cal)
		o.Label = label
		if !letInto(o) {
			continue
		}
		return ep, o
	}
	return nil, nil
}

// gatedBy is the calibration that tells ep's refusal from an identity's
// answer, when its matrix shows it refusing anonymous requests and
// serving an identity (whatever the refusal looks like: 401/403, a 200
// error envelope, a redirect to a sign-in page, 404, 422 or a steady
// 500); nil otherwise. A credential is let in where its answer, judged
// with it, is accepted.
func gatedBy(p *probe.Pass, ep *inventory.Endpoint) *oracle.Calibration {
	var anon bool
	var ref *oracle.Calibration
	for _, c := range p.Matrix(ep) {
		switch c.Variant {
		case slots.CellAnonymous:
			anon = c.Verdict() == oracle.Rejected
		case slots.CellIdentity:
			if ref == nil && c.Verdict() == oracle.Accepted && c.Ref != nil {
				ref = c.Ref
			}
		}
	}
	if !anon {
		return nil
	}
	return ref
}

// letInto: creds' answer on a gated endpoint, judged with its
// calibration, is an identity's, not the refusal.
func letInto(o *probe.Outcome) bool {
	return o != nil && o.Sample != nil && o.Sample.Unusable() == "" && o.Accepted()
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
