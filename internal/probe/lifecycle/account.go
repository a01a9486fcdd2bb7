package lifecycle

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// account is an identity with a login flow whose body names the user and
// the password: the lifecycle checks log it in afresh (a token of their
// own, never the one the scan works with) and, for a throwaway account,
// change its password and put it back.
type account struct {
	id                 *identity.Identity
	method, url        string // the login request, URL absolute
	userField, pwField string
	user, password     string
	// userParam is the login path's placeholder that names the user when
	// the body does not (POST /shop/v1/{user_id}/login with a password
	// only); route is that login's template.
	userParam, route string
	endpoint         *finding.Endpoint
	// basic: the login takes the user and password as HTTP Basic
	// credentials (its Authorization header), not in a body.
	basic bool
}

// accountOf reads the user and password fields of an identity's login.
func accountOf(p *probe.Pass, id *identity.Identity) (*account, bool) {
	l := id.Login
	if l == nil {
		return nil, false
	}
	u, err := p.Session().Resolve(l.URL)
	if err != nil {
		return nil, false
	}
	a := &account{id: id, method: strings.ToUpper(l.Method), url: u}
	if a.method == "" {
		a.method = http.MethodPost
	}
	a.userField, a.pwField = l.UserField, l.PasswordField
	a.user, a.password = bodyValue(l, a.userField), bodyValue(l, a.pwField)
	for _, k := range bodyKeys(l) {
		v := bodyValue(l, k)
		last := k[strings.LastIndex(k, ".")+1:]
		switch {
		case a.pwField == "" && passwordField(last):
			a.pwField, a.password = k, v
		case a.userField == "" && userField(last):
			a.userField, a.user = k, v
		}
	}
	path := l.URL
	if pu, err := url.Parse(u); err == nil {
		path = pu.Path
	}
	// The route the login URL is an instance of names the endpoint, and
	// when the body names no user, the route's one placeholder is the user
	// (the API says so by taking it in the path).
	if route, vals := principal.LoginRoute(l, p.Inventory()); route != nil {
		path = route.Path
		if a.userField == "" && len(vals) == 1 {
			for name, v := range vals {
				a.userParam, a.user, a.route = name, v, route.Path
			}
		}
	}
	if a.pwField == "" && a.userField == "" && a.userParam == "" {
		// No body names them: a login that buys a token with HTTP Basic
		// credentials (Flask-HTTPAuth, request.authorization) carries
		// both in its header.
		a.user, a.password, a.basic = l.Basic()
	}
	if !a.basic && (a.pwField == "" || a.userField == "" && a.userParam == "") || a.user == "" || a.password == "" {
		return nil, false
	}
	a.endpoint = &finding.Endpoint{Method: a.method, Path: path}
	return a, true
}

// urlFor is the login URL for user: the configured one, or with the
// path's user placeholder replaced.
func (a *account) urlFor(user string) string {
	if a.userParam == "" {
		return a.url
	}
	u, err := url.Parse(a.url)
	if err != nil {
		return a.url
	}
	tsegs := strings.Split(strings.Trim(a.route, "/"), "/")
	psegs := strings.Split(strings.Trim(u.Path, "/"), "/")
	off := len(psegs) - len(tsegs)
	if off < 0 {
		return a.url
	}
	for i, t := range tsegs {
		if t == "{"+a.userParam+"}" {
			psegs[off+i] = url.PathEscape(user)
		}
	}
	u.Path, u.RawPath = "", ""
	return u.String() + "/" + strings.Join(psegs, "/")
}

// bodyKeys are the login body's fields: dot paths into a nested JSON
// body ({"user": {"email": ..., "password": ...}}), or form keys.
func bodyKeys(l *identity.Login) []string {
	keys := l.JSON.Paths()
	var form []string
	for k := range l.Form {
		form = append(form, k)
	}
	sort.Strings(form)
	return append(keys, form...)
}

func bodyValue(l *identity.Login, k string) string {
	if k == "" {
		return ""
	}
	if v, ok := l.JSON.Lookup(k); ok {
		s, _ := v.(string)
		return s
	}
	return l.Form[k]
}

func passwordField(k string) bool {
	l := strings.ToLower(k)
	return strings.Contains(l, "pass") || strings.Contains(l, "pwd")
}

func userField(k string) bool {
	switch strings.ToLower(k) {
	case "username", "user", "user_name", "login", "email", "mail", "name", "userid", "user_id", "account":
		return true
	}
	return false
}

// loginRequest is the configured login with the user and password replaced.
func (a *account) loginRequest(user, password string) *httpx.Request {
	l := a.id.Login
	req := &httpx.Request{Method: a.method, URL: a.urlFor(user), Header: http.Header{}, NoRetry: true}
	switch {
	case l.JSON != nil:
		body := identity.Body(l.JSON)
		if a.userField != "" {
			body = body.With(a.userField, user)
		}
		body = identity.Body(body).With(a.pwField, password)
		req.Body, _ = json.Marshal(body)
		req.Header.Set("Content-Type", "application/json")
	case l.Form != nil:
		form := url.Values{}
		for k, v := range l.Form {
			form.Set(k, v)
		}
		if a.userField != "" {
			form.Set(a.userField, user)
		}
		form.Set(a.pwField, password)
		req.Body = []byte(form.Encode())
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range l.Header {
		req.Header.Set(k, v)
	}
	if a.basic {
		req.Header.Set("Authorization", identity.BasicHeader(user, password))
	}
	return req
}

// session is the result of one fresh login.
type session struct {
	creds identity.Creds
	token string // the access token; empty for cookie sessions
	resp  *httpx.Response
}

// login logs the account in with password and returns its own new
// credentials; extra cookies (a planted session id) go along.
func (a *account) login(ctx context.Context, p *probe.Pass, password string, extra map[string]string) (*session, error) {
	req := a.loginRequest(a.user, password)
	if len(extra) > 0 {
		(identity.Creds{Cookies: extra}).Apply(req)
	}
	resp := p.Session().Client.Do(ctx, req)
	if wait, ok := identity.LoginBackoff(resp); ok {
		// Throttled by an earlier check (brute force): a fresh login is
		// worth the wait the server asks for, once.
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		resp = p.Session().Client.Do(ctx, req)
	}
	if resp.Err != nil {
		return nil, resp.Err
	}
	if resp.Status/100 != 2 && !identity.FormSignIn(a.id.Login, resp) {
		if resp.Status == http.StatusTooManyRequests {
			return nil, fmt.Errorf("login as %s answered %d: %w", a.user, resp.Status, errThrottled)
		}
		return nil, fmt.Errorf("login as %s answered %d", a.user, resp.Status)
	}
	s := &session{creds: a.id.Base.Clone(), resp: resp}
	l := a.id.Login
	if l.Token == "" {
		cookies := (&http.Response{Header: resp.Header}).Cookies()
		for _, c := range cookies {
			s.creds.Cookies[c.Name] = c.Value
			p.Redactor().Add(c.Value)
		}
		for k, v := range extra {
			if _, set := s.creds.Cookies[k]; !set {
				s.creds.Cookies[k] = v // the server kept the cookie sent
			}
		}
		if len(s.creds.Cookies) == 0 {
			return nil, fmt.Errorf("login as %s set no cookie", a.user)
		}
		return s, nil
	}
	tok := dig(resp.Body, l.Token)
	if tok == "" {
		return nil, fmt.Errorf("login as %s: no token at %q", a.user, l.Token)
	}
	p.Redactor().Add(tok)
	s.token = tok
	s.creds = withToken(a.id, s.creds, tok)
	return s, nil
}

// withToken places a token where the identity's login says (default bearer).
func withToken(id *identity.Identity, base identity.Creds, tok string) identity.Creds {
	c := base.Clone()
	use := ""
	if id.Login != nil {
		use = id.Login.Use
	}
	pl, err := identity.ParseUse(use)
	if err != nil || pl.Put(&c, tok) != nil {
		c.Bearer = tok
	}
	return c
}

// dig follows a dot path into a JSON document; "" when absent.
func dig(body []byte, path string) string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[k]
	}
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return fmt.Sprintf("%.0f", t)
	}
	return ""
}

// newPassword is a fresh password strong enough for any policy.
func newPassword() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "Ap-" + hex.EncodeToString(b) + "-9z"
}

// madeUp is a user name no account has, shaped like the real one: digits
// for a numeric id (a route's int converter would refuse anything else
// before the handler runs), else a name.
func madeUp(like string) string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	if like != "" && strings.Trim(like, "0123456789") == "" {
		return "9" + strings.Repeat("0", len(like)+2) + fmt.Sprint(int(b[0])%90+10)
	}
	name := "authprobe-nx-" + hex.EncodeToString(b)
	if strings.Contains(like, "@") {
		return name + "@" + like[strings.LastIndex(like, "@")+1:]
	}
	return name
}
