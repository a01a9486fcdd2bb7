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
	if tpl == nil {
		p.Note("default credentials: the source writes user names and passwords, but no configured login has a JSON user and password field to try them in")
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
			p.Note(fmt.Sprintf("default credentials: %d more pairs from the source not tried (at most %d logins)", len(cands)-tried, maxDefaultTries))
			return
		}
		tried++
		l := *tpl.Login
		body := identity.Body(tpl.Login.JSON.With(up, c.User))
		l.JSON = identity.Body(body.With(pp, c.Password))
		if !loginAnswers(ctx, p, &l) {
			continue // refused: the pair does not log in
		}
		// It logs in: only now is it a credential, logged in with (and so
		// redacted from the output) like an identity's.
		who := &identity.Identity{Name: "the code's credential", Login: &l, Base: identity.Creds{
			Headers: map[string]string{}, Query: map[string]string{}, Cookies: map[string]string{}}}
		creds, err := who.Creds(ctx, p.Session())
		if err != nil {
			continue
		}
		for _, ep := range p.Endpoints() {
			if ctx.Err() != nil || ep.Method != http.MethodGet || strings.Contains(ep.Path, "{") || !gated(p, ep) {
				continue
			}
			o := p.Send(ctx, ep, nil, creds, nil)
			o.Label = "logged in with the user name and password written at " + c.Where
			if o.Sample.Unusable() != "" || o.Sample.Status/100 != 2 {
				continue
			}
			f := catalog.New(ruleDefaultCreds)
			f.Endpoint = &finding.Endpoint{Method: strings.ToUpper(orPost(l.Method)), Path: pathOf(l.URL)}
			f.Confidence = finding.Confirmed
			f.Message = fmt.Sprintf("a user name and password written in the code (%s, %s; not shown) log in, and the credential was let into %s (status %d)",
				c.How, c.Where, ep.Key(), o.Sample.Status)
			f.Evidence = (&probe.Pass{Env: p.Env}).Evidence(o, "the credential came from logging in with the literals at "+c.Where,
				fmt.Sprintf("%s refuses requests without credentials", ep.Key()))
			if c.File != "" {
				f.Location = &finding.Location{File: c.File, Line: c.Line}
			}
			p.Report(f)
			return
		}
	}
}

// loginAnswers sends the login once as a plain request — a pair that is
// refused is no one's credential, so its words (admin, password) are not
// added to what the output redacts — and reports a 2xx that is not an
// error envelope.
func loginAnswers(ctx context.Context, p *probe.Pass, l *identity.Login) bool {
	u, err := p.Session().Resolve(l.URL)
	if err != nil {
		return false
	}
	b, err := json.Marshal(l.JSON)
	if err != nil {
		return false
	}
	req := &httpx.Request{Method: strings.ToUpper(orPost(l.Method)), URL: u, Header: http.Header{}, Body: b, NoRetry: true,
		Identity: "a user name and password from the code"}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range l.Header {
		req.Header.Set(k, v)
	}
	o := p.Send(ctx, nil, req, identity.Creds{}, nil)
	return o.Sample != nil && o.Sample.Status/100 == 2 && !oracle.ErrorEnvelope(o.Sample.Body)
}

// Guessable: a password anyone would try first — one of the built-in
// common secrets, shorter than six characters, or the user name itself.
func Guessable(user, password string) bool {
	return len(password) < 6 || strings.EqualFold(user, password) || crack.IsBuiltin([]byte(password))
}
