package accounts

import (
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
)

// carrier says where a login sends the user name and password.
type carrier int

const (
	inJSON  carrier = iota // the JSON body
	inForm                 // a form body
	inBasic                // an HTTP Basic Authorization header
)

// basicUser and basicPass are the paths of the user name and password in
// the body a Basic login's header is read as.
const basicUser, basicPass = "username", "password"

// loginFields is the login's credentials as a body, whatever carries them:
// its JSON body, its form, or the user name and password of the HTTP Basic
// Authorization header it sends (a login that buys a token with Basic).
func loginFields(l *identity.Login) (identity.Body, carrier, bool) {
	switch {
	case l == nil:
		return nil, 0, false
	case l.JSON != nil:
		return l.JSON, inJSON, true
	case l.Form != nil:
		b := identity.Body{}
		for k, v := range l.Form {
			b[k] = v
		}
		return b, inForm, true
	}
	if u, p, ok := l.Basic(); ok {
		return identity.Body{basicUser: u, basicPass: p}, inBasic, true
	}
	return nil, 0, false
}

// accountTemplate returns the first identity whose login carries a user
// name and a password (in a JSON body, a form or a Basic header): the
// model of the logins of new accounts, with the paths of its user name and
// password in loginFields' body.
func accountTemplate(ids []*identity.Identity) (*identity.Identity, carrier, string, string) {
	for _, id := range ids {
		b, how, ok := loginFields(id.Login)
		if !ok {
			continue
		}
		l := &identity.Login{JSON: b, UserField: id.Login.UserField, PasswordField: id.Login.PasswordField}
		if how == inBasic {
			l.UserField, l.PasswordField = basicUser, basicPass
		}
		pw := passwordPath(l)
		if pw == "" {
			continue
		}
		if u := userPath(l, pw); u != "" {
			return id, how, u, pw
		}
	}
	return nil, 0, "", ""
}

// loginAs is a copy of l (the template's login or an account's) that
// logs in with user and password; an empty user keeps l's.
func (r *Registrar) loginAs(l *identity.Login, user, password string) *identity.Login {
	cp := *l
	up, pp := r.loginUser, r.loginPass
	if up == "" || pp == "" {
		up, pp = r.userPath, r.passPath
	}
	switch r.carrier {
	case inForm:
		cp.Form = maps.Clone(l.Form)
		if user != "" {
			cp.Form[up] = user
		}
		cp.Form[pp] = password
	case inBasic:
		if user == "" {
			user, _, _ = l.Basic()
		}
		cp.Header = map[string]string{}
		for k, v := range l.Header {
			if !strings.EqualFold(k, "Authorization") {
				cp.Header[k] = v
			}
		}
		cp.Header["Authorization"] = "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
	default:
		b := l.JSON
		if user != "" {
			b = identity.Body(b.With(up, user))
		}
		cp.JSON = identity.Body(b.With(pp, password))
	}
	return &cp
}

// loginRequest is the request l sends, for reading its answer.
func loginRequest(u string, l *identity.Login) *httpx.Request {
	var req *httpx.Request
	if l.Form != nil && l.JSON == nil {
		form := url.Values{}
		for k, v := range l.Form {
			form.Set(k, v)
		}
		h := http.Header{}
		h.Set("Content-Type", "application/x-www-form-urlencoded")
		req = &httpx.Request{Method: http.MethodPost, URL: u, Header: h, Body: []byte(form.Encode()), NoRetry: true}
	} else {
		req = jsonPost(u, l.JSON)
	}
	for k, v := range l.Header {
		req.Header.Set(k, v)
	}
	if l.Method != "" {
		req.Method = strings.ToUpper(l.Method)
	}
	return req
}

// basicUserPath picks the registration body's field a Basic login's user
// name goes in: one named like an e-mail when the template's user name is
// one, else one named like a user name that is not an e-mail (a body with
// username and email takes the name Basic sends in username).
func basicUserPath(base identity.Body, pass, tplUser, fallback string) string {
	mail := strings.Contains(tplUser, "@")
	for _, p := range base.Paths() {
		if p == pass {
			continue
		}
		k := last(p)
		if looksLike(k, "mail") == mail && looksLike(k, "user", "email", "login", "name", "account", "handle") {
			return p
		}
	}
	return fallback
}
