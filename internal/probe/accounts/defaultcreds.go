package accounts

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/crack"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

const ruleDefaultCreds = "authn.default-credentials"

// maxDefaultTries bounds the logins the check sends: each is a failed
// attempt on a real account when the pair is wrong.
const maxDefaultTries = 6

// runDefaultCreds logs in, once each, with the user name and password
// pairs the source writes, through the configured login: a pair that
// returns a credential let into an endpoint that refuses anonymous
// requests is a working credential anyone reading the code has. Which
// pairs are tried: a login's own comparison with literals always (a
// credential built into the check is a backdoor whatever its strength);
// a stored or stubbed account's only when its password is one anyone
// would guess (in the built-in list of common secrets, shorter than six
// characters, or the user name itself): sample users seeded with
// passwords of their own are an app's test data, not its weakness.
func runDefaultCreds(ctx context.Context, p *probe.Pass) {
	cands := p.Settings().SourceCredentials
	if len(cands) == 0 {
		return
	}
	tpl, up, pp := Template(p.Identities())
	discovered := false
	if tpl == nil {
		tpl, up, pp = discoveredTemplate(p)
		discovered = tpl != nil
	}
	if tpl == nil {
		p.Note("default credentials: the source writes user names and passwords, but no configured login, and no login the spec or source shows (with --allow-writes), has a JSON user and password field to try them in")
		return
	}
	tried := 0
	for _, c := range cands {
		if ctx.Err() != nil {
			return
		}
		if !c.Compared && !Guessable(c.User, c.Password) {
			continue
		}
		if tried == maxDefaultTries {
			p.Note(fmt.Sprintf("default credentials: pairs from the source from %s on not tried (at most %d logins)", c.Where, maxDefaultTries))
			return
		}
		tried++
		l := *tpl.Login
		body := identity.Body(tpl.Login.JSON.With(up, c.User))
		l.JSON = identity.Body(body.With(pp, c.Password))
		login, ok := loginAnswers(ctx, p, &l)
		if !ok {
			continue // refused: the pair does not log in
		}
		if discovered {
			// No config says where this login's credential is: the
			// answer's token field, else the cookies it set.
			l.Token = tokenIn(login.Sample.Body)
		}
		// It logs in: only now is it a credential, logged in with (and so
		// redacted from the output) like an identity's.
		who := &identity.Identity{Name: "the code's credential", Login: &l, Base: identity.Creds{
			Headers: map[string]string{}, Query: map[string]string{}, Cookies: map[string]string{}}}
		creds, err := who.Creds(ctx, p.Session())
		if err != nil || creds.Empty() {
			continue
		}
		if proveByRead(ctx, p, c, &l, creds) || proveByLogin(ctx, p, c, tpl.Login, up, pp, login) {
			return
		}
	}
}

// proveByRead reports the pair when the credential it logged in for is
// let into a GET that refuses requests without credentials.
func proveByRead(ctx context.Context, p *probe.Pass, c probe.SourceCredential, l *identity.Login, creds identity.Creds) bool {
	ep, o := letIn(ctx, p, creds, "logged in with the user name and password written at "+c.Where)
	if ep == nil {
		return false
	}
	f := defaultCredsFinding(c, l, finding.Confirmed, fmt.Sprintf("a user name and password written in the code (%s, %s; not shown) log in, and the credential was let into %s (status %d)",
		c.How, c.Where, ep.Key(), o.Sample.Status))
	f.Evidence = (&probe.Pass{Env: p.Env}).Evidence(o, "the credential came from logging in with the literals at "+c.Where,
		fmt.Sprintf("%s refuses requests without credentials", ep.Key()))
	p.Report(f)
	return true
}

// proveByLogin reports the pair when no gated read can show its
// credential at work (an API whose gated endpoints are all writes): the
// login issued a credential for the pair, and the same login with the
// password's last character changed was refused, so the literals are
// what opened it. One more failed login, within the check's bound.
func proveByLogin(ctx context.Context, p *probe.Pass, c probe.SourceCredential, tpl *identity.Login, up, pp string, login *probe.Outcome) bool {
	if ctx.Err() != nil {
		return false
	}
	wrong := *tpl
	body := identity.Body(tpl.JSON.With(up, c.User))
	wrong.JSON = identity.Body(body.With(pp, changedLast(c.Password)))
	ctl, ok := loginAnswers(ctx, p, &wrong)
	if ok || ctl == nil || ctl.Sample == nil || ctl.Sample.Unusable() != "" {
		return false // a login that issues anything to anyone proves nothing
	}
	login.Label = "logged in with the user name and password written at " + c.Where
	f := defaultCredsFinding(c, tpl, finding.Firm, fmt.Sprintf("a user name and password written in the code (%s, %s; not shown) log in: the login issued a credential for them (status %d) and refused the same user name with the password's last character changed (status %d)",
		c.How, c.Where, login.Sample.Status, ctl.Sample.Status))
	f.Evidence = (&probe.Pass{Env: p.Env}).Evidence(login, "the login answered the literals at "+c.Where+" with a credential",
		fmt.Sprintf("the same login with one character of the password changed was refused (status %d)", ctl.Sample.Status))
	p.Report(f)
	return true
}

func defaultCredsFinding(c probe.SourceCredential, l *identity.Login, conf finding.Confidence, msg string) finding.Finding {
	f := catalog.New(ruleDefaultCreds)
	f.Endpoint = &finding.Endpoint{Method: strings.ToUpper(orPost(l.Method)), Path: pathOf(l.URL)}
	f.Confidence = conf
	f.Message = msg
	if c.File != "" {
		f.Location = &finding.Location{File: c.File, Line: c.Line}
	}
	return f
}

// changedLast is s with its last character replaced by another of the
// same class, so a control keeps the literal's shape and length.
func changedLast(s string) string {
	b := []byte(s)
	if len(b) == 0 {
		return "x"
	}
	switch last := b[len(b)-1]; {
	case last == '9':
		b[len(b)-1] = '0'
	case last == 'z', last == 'Z':
		b[len(b)-1] = last - 25
	case last >= '0' && last <= '8', last >= 'a' && last <= 'y', last >= 'A' && last <= 'Y':
		b[len(b)-1] = last + 1
	default:
		b[len(b)-1] = 'A'
	}
	return string(b)
}

// loginAnswers sends the login once as a plain request — a pair that is
// refused is no one's credential, so its words (admin, password) are not
// added to what the output redacts — and reports a 2xx that is not an
// error envelope, with the outcome.
func loginAnswers(ctx context.Context, p *probe.Pass, l *identity.Login) (*probe.Outcome, bool) {
	u, err := p.Session().Resolve(l.URL)
	if err != nil {
		return nil, false
	}
	b, err := json.Marshal(l.JSON)
	if err != nil {
		return nil, false
	}
	req := &httpx.Request{Method: strings.ToUpper(orPost(l.Method)), URL: u, Header: http.Header{}, Body: b, NoRetry: true,
		Identity: "a user name and password from the code"}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range l.Header {
		req.Header.Set(k, v)
	}
	o := p.Send(ctx, nil, req, identity.Creds{}, nil)
	return o, o.Sample != nil && o.Sample.Status/100 == 2 && !oracle.ErrorEnvelope(o.Sample.Body)
}

// Guessable: a password anyone would try first — one of the built-in
// common secrets, shorter than six characters, or the user name itself.
func Guessable(user, password string) bool {
	return len(password) < 6 || strings.EqualFold(user, password) || crack.IsBuiltin([]byte(password))
}
