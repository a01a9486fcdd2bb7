package ratelimit

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// discoveredLogins are the login endpoints the spec or the source shows
// that no identity's configured login already covers: a POST whose body
// has a password field (spec), or that the source marks as a login. They
// are tried with made-up usernames only — no real account is ever locked —
// so there is no valid credential to check afterwards: a series answered
// by ordinary refusals throughout proves that failures from one client are
// not throttled, with a firm (not confirmed) confidence.
func discoveredLogins(p *probe.Pass, configured map[string]bool) []target {
	inv := p.Inventory()
	if inv == nil || !p.AllowWrites() {
		// Only configured logins are sent without --allow-writes.
		return nil
	}
	return endpointTargets(inv, func(ep *inventory.Endpoint) (target, bool) {
		if ep.Method != http.MethodPost || configured[ep.Method+" "+ep.Path] || !loginLike(p.Settings().Flows, ep) {
			return target{}, false
		}
		var l *identity.Login
		field, ok := "", false
		if _, spec := inv.Bodies[ep.Key()]; !spec && takesBasic(inv, ep) {
			// No body in the spec, and the spec or code says the route
			// reads HTTP Basic credentials: they carry the password.
			l, field, ok = basicLogin(ep), basicField, true
		} else if body, form := loginBody(p, inv, ep); body != nil {
			l = discoveredLogin(ep, body, form)
			field, ok = secretField(l)
		}
		switch {
		case l == nil:
			p.NotRun(fmt.Sprintf("brute force: %s looks like a login, but neither the spec nor the source gives its body", ep.Key()))
			return target{}, false
		case !ok:
			p.NotRun(fmt.Sprintf("brute force: %s looks like a login, but its body has no password field", ep.Key()))
			return target{}, false
		}
		user, ok := userField(l, field)
		if field == basicField {
			user, ok = basicUser, true
		}
		if !ok && !strings.Contains(ep.Path, "{") {
			p.NotRun(fmt.Sprintf("brute force: %s looks like a login, but its body has no username field to fill with a made-up one", ep.Key()))
			return target{}, false
		}
		// A user named in the path gets a made-up value there too: no
		// real account is tried.
		u := p.URL(madeUp(p, ep))
		s := loginSeries(p, l, ep.Method, u, field, user)
		s.what = "wrong passwords for made-up usernames on a login the " + discoveredFrom(ep) + " shows, from one client"
		s.control = func(ctx context.Context) *probe.Outcome {
			// No account of ours: a fresh made-up user, to see the client
			// is still answered like before (not locked out or throttled).
			o := p.Send(ctx, nil, loginRequest(l, ep.Method, u, field, "authprobe-wrong-pw", user, madeUpUser()), identity.Creds{}, nil)
			o.Label = "another made-up user (control)"
			return o
		}
		refused := s.refused
		s.works = func(o *probe.Outcome) bool { return refused(o) }
		s.noAccount = true
		return targetAt(ep, "", s), true
	})
}

// loginBody is the body of a login the spec describes (a password field
// among its properties) and whether the spec takes it form-encoded, or,
// when the source marks the route as a login, the usual field names.
func loginBody(p *probe.Pass, inv *inventory.Inventory, ep *inventory.Endpoint) (identity.Body, bool) {
	if b, ok := inv.Bodies[ep.Key()]; ok {
		if m, ok := b.Value.(map[string]any); ok {
			return identity.Body(m), b.Form
		}
	}
	// The body the handler's code reads, when it holds a password field.
	if b, ok := p.Settings().SourceBodies[ep.Key()]; ok && len(b.Value) > 0 {
		if _, ok := secretField(&identity.Login{JSON: identity.Body(b.Value)}); ok {
			return identity.Body(b.Value), b.Form
		}
	}
	if p.Settings().Flows.Hints[ep.Key()] == probe.RoleLogin {
		return identity.Body{"username": "authprobe-user", "password": "authprobe-pw"}, false
	}
	return nil, false
}

// madeUp is ep with each path parameter a value no account has, told to
// the scan's write guard (a write naming it changes nothing anyone has).
func madeUp(p *probe.Pass, ep *inventory.Endpoint) *inventory.Endpoint {
	cp := *ep
	cp.Params = append([]inventory.Param(nil), ep.Params...)
	for i, prm := range cp.Params {
		if prm.In != "path" {
			continue
		}
		switch prm.Type {
		case "integer", "number":
			cp.Params[i].Example = "987654321"
		default:
			cp.Params[i].Example = madeUpUser()
		}
		probe.Made(p.Env, cp.Params[i].Example)
	}
	return &cp
}

// discoveredLogin is the login the series sends: the body as the spec
// takes it, form-encoded when it takes only a form (FastAPI's OAuth2
// login answers a JSON body 422 before it reads any credential, which is
// no refusal of the password).
func discoveredLogin(ep *inventory.Endpoint, body identity.Body, form bool) *identity.Login {
	if !form {
		return &identity.Login{Method: ep.Method, URL: ep.Path, JSON: body}
	}
	f := map[string]string{}
	for k, v := range body {
		switch v.(type) {
		case map[string]any, []any:
			continue
		case nil:
			f[k] = ""
		default:
			f[k] = fmt.Sprint(v)
		}
	}
	return &identity.Login{Method: ep.Method, URL: ep.Path, Form: f}
}

// loginLike: the code shows the route logs in (a login hint, whatever its
// path says: /login_password), or, when the code says nothing of it, its
// path names a login and no other lifecycle flow (a registration, reset or
// password change is never one).
func loginLike(f probe.Flows, ep *inventory.Endpoint) bool {
	switch f.Role(ep) {
	case probe.RoleLogin:
		return true
	case "":
		return probe.LoginPath(ep.Path)
	}
	return false
}

func discoveredFrom(ep *inventory.Endpoint) string {
	for _, s := range ep.Sources {
		if s == inventory.SourceSpec {
			return "spec"
		}
	}
	return "source"
}

// confidence of a series' finding: confirmed with a valid credential that
// still worked afterwards, firm without an account to show it.
func (s series) confidence() finding.Confidence {
	if s.noAccount {
		return finding.Firm
	}
	return finding.Confirmed
}

func (s series) controlText(v verdict) string {
	if s.noAccount {
		return fmt.Sprintf("a fresh made-up username was answered like the first attempt afterwards (status %d); no account of the scan was used", v.control.Sample.Status)
	}
	if v.ownLimit != "" {
		return fmt.Sprintf("the valid credential was throttled after the series (status %d), while none of the failures was: %s", v.control.Sample.Status, v.ownLimit)
	}
	return fmt.Sprintf("the valid credential was accepted right after the series (status %d)", v.control.Sample.Status)
}
