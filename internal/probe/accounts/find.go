package accounts

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// Template returns the first identity whose login is a JSON body with a
// user name and a password: its login is the template of new accounts.
func Template(ids []*identity.Identity) (*identity.Identity, string, string) {
	for _, id := range ids {
		if id.Login == nil || id.Login.JSON == nil {
			continue
		}
		pw := passwordPath(id.Login)
		if pw == "" {
			continue
		}
		if u := userPath(id.Login, pw); u != "" {
			return id, u, pw
		}
	}
	return nil, "", ""
}

// FindOptions say where Find looks for the registration and with what.
type FindOptions struct {
	Target     *url.URL
	Inventory  *inventory.Inventory
	Identities []*identity.Identity
	// BodyOf returns the body a write's handler, spec or config names, by
	// "METHOD /path" (nil when none says).
	BodyOf func(string) map[string]any
	// FormOf says whether the handler of "METHOD /path" reads a form
	// (form) rather than JSON, when the source or spec knows (known).
	FormOf func(string) (form, known bool)
	// Flows carry the roles the code shows (a login whatever its path
	// says).
	Flows probe.Flows
	// Member lends a non-admin identity's credential to a registration
	// that needs a login (nil: none).
	Member Member
}

// Find returns the registration endpoint: the first candidate that
// refuses an empty JSON body with 400, 403, 409 or 422 (a validation
// refusal; 401 means it needs a login, 404 and 405 that it is not there),
// or with a 500 when the inventory has it and the body its handler, spec
// or config names takes a password (a handler reading data["password"]
// fails on an empty body). Path words only order the candidates.
func Find(ctx context.Context, send Sender, o FindOptions) (*Registrar, string) {
	target, inv, bodyOf, member := o.Target, o.Inventory, o.BodyOf, o.Member
	tpl, how, up, pp := accountTemplate(o.Identities)
	logins := map[string]bool{}
	for _, id := range o.Identities {
		if id.Login != nil {
			if u, err := url.Parse(id.Login.URL); err == nil {
				logins[u.Path] = true
			}
		}
	}
	for _, c := range candidates(inv, logins, bodyOf, o.Flows) {
		if ctx.Err() != nil {
			return nil, ctx.Err().Error()
		}
		path := c.path
		r := &Registrar{Method: http.MethodPost, Path: path, body: map[string]any{}}
		fbase, fuser, fpass, fok := formTemplate(o.Identities)
		switch {
		case tpl != nil && how == inBasic:
			// The credentials travel in a header: the registration's
			// body comes from its spec or source (else the commonest
			// shape), its user field the one the Basic user name fits.
			if !r.fromSpec(inv) && !r.fromBody(bodyOf) {
				r.base, r.userPath, r.passPath = identity.Body{"username": "", "password": ""}, "username", "password"
			}
			tplUser, _, _ := tpl.Login.Basic()
			r.userPath = basicUserPath(r.base, r.passPath, tplUser, r.userPath)
			r.login, r.carrier, r.loginUser, r.loginPass = tpl.Login, how, up, pp
		case tpl != nil:
			body, _, _ := loginFields(tpl.Login)
			r.base, r.login, r.userPath, r.passPath = body, tpl.Login, up, pp
			r.carrier, r.loginUser, r.loginPass = how, up, pp
			// A form login's registration is sent as a form too, unless
			// its handler is known to read JSON (a JSON sign-up beside a
			// form sign-in).
			if how == inForm {
				form, known := false, false
				if o.FormOf != nil {
					form, known = o.FormOf(http.MethodPost + " " + path)
				}
				switch {
				case !known:
					r.enc = encFormUnsure
				case form:
					r.enc = encForm
				}
			}
		case fok && !r.fromSpec(inv):
			// Identities that log in with a form: the registration takes
			// the same form (accounts are made, never logged in as).
			r.base, r.userPath, r.passPath, r.enc = fbase, fuser, fpass, encForm
		case !r.fromSpec(inv):
			// Nothing to model an account on: the commonest shape, which
			// the refusals then complete.
			r.base, r.userPath, r.passPath = identity.Body{"username": "", "password": ""}, "username", "password"
		}
		u := *target
		u.Path = strings.TrimRight(target.Path, "/") + path
		u.RawQuery = ""
		r.URL = u.String()
		// A candidate only the inventory has (no registration word, no
		// known body) is one when its refusal asks for a user and a
		// password.
		confirms := func(resp *httpx.Response) bool {
			if c.probe {
				return validation(resp.Status) && asksCredentials(resp.Body)
			}
			return validation(resp.Status) || resp.Status == 500 && takesPassword(inv, path, bodyOf)
		}
		resp := send(ctx, jsonPost(r.URL, map[string]any{}))
		if asksForBody(resp) && inInventory(inv, path) {
			// A 401 or 403 that asks for a user and a password refuses
			// the empty body, not the caller ("Please provide an email
			// and a password." with 401): no member's credential is
			// needed, none is sent.
			return r, ""
		}
		if needsLogin(resp, confirms) && member != nil && inInventory(inv, path) {
			// A user-creating endpoint of the API's own that needs a
			// login: a member's credential may be enough.
			if name, cr, ok := member(); ok {
				r.As, r.creds = name, cr
				if confirms(send(ctx, r.post(map[string]any{}))) {
					return r, ""
				}
				r.As, r.creds = "", identity.Creds{}
			}
		}
		// A 500 counts for an endpoint the spec or source has whose body
		// takes a user and a password, crashing on a missing field
		// (data["password"]: a KeyError); never for a guessed common path
		// or a collection of objects without credentials: its answer to a
		// real body decides.
		if confirms(resp) || resp.Status == 403 && !c.probe {
			return r, ""
		}
	}
	return nil, "no registration endpoint found (spec, source or common paths answering an empty body with a validation refusal)"
}

// asksForBody: a 401 or 403 whose body asks for a user and a password,
// the fields a registration takes (a refusal of a missing token or key
// names neither).
func asksForBody(resp *httpx.Response) bool {
	return (resp.Status == 401 || resp.Status == 403) && asksCredentials(resp.Body)
}

// needsLogin: the anonymous answer to an empty body may be a refusal of
// the caller — 401 or 403, or a 2xx that does not confirm a registration
// (an API that answers {"message": "Token is missing!"} with 200) — so a
// member's credential is worth one try; its answer must then confirm.
func needsLogin(resp *httpx.Response, confirms func(*httpx.Response) bool) bool {
	return resp.Status == 401 || resp.Status == 403 || resp.Status/100 == 2 && !confirms(resp)
}

// fromBody models accounts on the body the registration's handler, spec
// or config names (bodyOf), like fromSpec.
func (r *Registrar) fromBody(bodyOf func(string) map[string]any) bool {
	if bodyOf == nil {
		return false
	}
	b := bodyOf(r.Method + " " + r.Path)
	if b == nil {
		return false
	}
	l := &identity.Login{JSON: identity.Body(b)}
	if r.passPath = passwordPath(l); r.passPath == "" {
		return false
	}
	r.userPath = userPath(l, r.passPath)
	r.base = l.JSON
	return r.userPath != ""
}

// fromSpec models accounts on the registration's own body (spec example
// or schema): its user and password fields found by name.
func (r *Registrar) fromSpec(inv *inventory.Inventory) bool {
	b, ok := inv.Bodies[r.Method+" "+r.Path]
	if !ok {
		return false
	}
	m, ok := b.Value.(map[string]any)
	if !ok {
		return false
	}
	l := &identity.Login{JSON: identity.Body(m)}
	r.passPath = passwordPath(l)
	if r.passPath == "" {
		return false
	}
	r.userPath = userPath(l, r.passPath)
	r.base = l.JSON
	return r.userPath != ""
}
