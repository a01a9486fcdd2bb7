package ratelimit

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// passwordFields name a login body's secret.
func passwordField(k string) bool {
	l := strings.ToLower(k)
	return strings.Contains(l, "pass") || strings.Contains(l, "pwd") || l == "secret" || l == "client_secret" || l == "pin"
}

// loginTargets: each distinct configured login request whose body has a
// password field.
func loginTargets(p *probe.Pass) []target {
	var out []target
	seen := map[string]bool{}
	// A throwaway account goes first: its real username meets a per-account
	// lockout that a made-up one never would.
	ids := append([]*identity.Identity(nil), p.Identities()...)
	sort.SliceStable(ids, func(i, j int) bool { return ids[i].Throwaway && !ids[j].Throwaway })
	for _, id := range ids {
		l := id.Login
		if l == nil {
			continue
		}
		u, err := p.Session().Resolve(l.URL)
		if err != nil {
			continue
		}
		method := strings.ToUpper(l.Method)
		if method == "" {
			method = http.MethodPost
		}
		// The login's route, not the one URL filled in (a user id in the
		// path): one series and one finding per route.
		path := loginPath(p, l, u)
		if seen[method+" "+path] {
			continue
		}
		seen[method+" "+path] = true
		field, ok := secretField(l)
		if !ok {
			// A login that takes HTTP Basic credentials (Flask-HTTPAuth's
			// POST /api/tokens) carries the password in its header.
			_, _, ok = l.Basic()
			field = basicField
		}
		if !ok {
			p.Note(fmt.Sprintf("%s %s: login body has no password field; brute-force check skipped", method, l.URL))
			continue
		}
		// Wrong passwords for a real account can lock it (and the scan
		// out of it): by default they go to a made-up username, which
		// proves throttling per client; the real one only when the
		// account is marked throwaway or with --allow-lockout.
		user := ""
		if !id.Throwaway && !p.Settings().AllowLockout {
			var ok bool
			if field == basicField {
				user, ok = basicUser, true
			} else if user, ok = userField(l, field); !ok {
				p.Note(fmt.Sprintf("%s %s: login body has no username field to replace with a made-up one; brute-force check skipped (mark the identity throwaway: true or pass --allow-lockout to use the real account)", method, l.URL))
				continue
			}
		}
		s := loginSeries(p, l, method, u, field, user)
		if l.Token == "" && id.Base.Empty() {
			cookieLogin(&s, l)
		}
		if user == "" {
			// The real account's own name is guessed: another account's
			// login afterwards tells its lockout from a login that broke.
			s.bystander = bystanderFor(p, id, method, path)
		}
		out = append(out, target{ep: &finding.Endpoint{Method: method, Path: path}, id: id.Name, s: s})
	}
	return out
}

// secretField returns the dot path of the login body's password: the
// configured password_field, else the first field named like a password at
// any depth of a JSON body ({"user": {"email", "password"}}), else in a form.
func secretField(l *identity.Login) (string, bool) {
	if l.PasswordField != "" {
		if l.JSON != nil {
			_, ok := l.JSON.Lookup(l.PasswordField)
			return l.PasswordField, ok
		}
		_, ok := l.Form[l.PasswordField]
		return l.PasswordField, ok
	}
	if l.JSON != nil {
		for _, path := range l.JSON.Paths() {
			if passwordField(path[strings.LastIndex(path, ".")+1:]) {
				return path, true
			}
		}
	}
	var keys []string
	for k := range l.Form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if passwordField(k) {
			return k, true
		}
	}
	return "", false
}

// userField names the login body's username field (a dot path in a JSON
// body, never the password): the configured user_field, else the first
// field named like a user at any depth.
func userField(l *identity.Login, password string) (string, bool) {
	if l.UserField != "" && l.UserField != password {
		if l.JSON != nil {
			_, ok := l.JSON.Lookup(l.UserField)
			return l.UserField, ok
		}
		_, ok := l.Form[l.UserField]
		return l.UserField, ok
	}
	var keys []string
	if l.JSON != nil {
		for _, path := range l.JSON.Paths() {
			if v, _ := l.JSON.Lookup(path); v != nil {
				if _, ok := v.(string); ok {
					keys = append(keys, path)
				}
			}
		}
	}
	var form []string
	for k := range l.Form {
		form = append(form, k)
	}
	sort.Strings(form)
	keys = append(keys, form...)
	// A field named like a person's login before an id (an OAuth2 form's
	// client_id is no username: FastAPI's sorts before username).
	for _, words := range [][]string{{"user", "email", "login", "account", "name"}, {"client_id", "id"}} {
		for _, k := range keys {
			if k == password {
				continue
			}
			lk := strings.ToLower(k[strings.LastIndex(k, ".")+1:])
			for _, w := range words {
				if strings.Contains(lk, w) {
					return k, true
				}
			}
		}
	}
	return "", false
}

// madeUpUser is a username no real account has.
func madeUpUser() string { return "authprobe-nobody-" + slots.RandomLike("abcdef012345") }

// loginRequest builds the configured login with the secret field (a dot
// path in a JSON body) set to pw and, when user is set, that field set to
// the made-up username name.
func loginRequest(l *identity.Login, method, u, field, pw, user, name string) *httpx.Request {
	req := &httpx.Request{Method: method, URL: u, Header: http.Header{}, NoRetry: true}
	switch {
	case l.JSON != nil:
		body := identity.Body(l.JSON.With(field, pw))
		if user != "" {
			body = identity.Body(body.With(user, name))
		}
		req.Body, _ = json.Marshal(body)
		req.Header.Set("Content-Type", "application/json")
	case l.Form != nil:
		form := url.Values{}
		for k, v := range l.Form {
			form.Set(k, v)
		}
		form.Set(field, pw)
		if user != "" {
			form.Set(user, name)
		}
		req.Body = []byte(form.Encode())
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range l.Header {
		req.Header.Set(k, v)
	}
	if field == basicField {
		u, _, _ := l.Basic()
		if user != "" {
			u = name
		}
		req.Header.Set("Authorization", identity.BasicHeader(u, pw))
	}
	return req
}

func loginSeries(p *probe.Pass, l *identity.Login, method, u, field, user string) series {
	secret := ""
	carriers := []string{field, user}
	switch {
	case field == basicField:
		_, secret, _ = l.Basic()
		carriers = []string{"authorization"}
	case l.JSON != nil:
		v, _ := l.JSON.Lookup(field)
		secret, _ = v.(string)
	default:
		secret = l.Form[field]
	}
	send := func(ctx context.Context, label, pw, name string) *probe.Outcome {
		o := p.Send(ctx, nil, loginRequest(l, method, u, field, pw, user, name), identity.Creds{}, nil)
		o.Label = label
		return o
	}
	what := "wrong passwords on the login request"
	nobody := ""
	if user != "" {
		nobody = madeUpUser()
		// Per-client throttling is what a made-up name shows; a lockout of
		// real accounts is observed only on a throwaway one, so say so.
		what = "wrong passwords for a made-up username on the login request, from one client; a lockout of real accounts was not tried (no identity is throwaway: true, no --allow-lockout)"
	}
	return series{
		what:     what,
		carriers: carriers,
		attempt: func(ctx context.Context, i int) *probe.Outcome {
			return send(ctx, fmt.Sprintf("wrong password %d", i+1), slots.RandomLike(secret+"x"), nobody)
		},
		refused: func(o *probe.Outcome) bool {
			s := o.Sample
			switch {
			case oracle.Refusal(s) || s.Status == 400:
				return true
			case s.Status/100 == 2:
				return l.Token != "" && !hasToken(s.Body, l.Token)
			}
			return false
		},
		control: func(ctx context.Context) *probe.Outcome {
			req := loginRequest(l, method, u, field, secret, "", "")
			o := p.Send(ctx, nil, req, identity.Creds{}, nil)
			o.Label = "right password (control)"
			return o
		},
		works: func(o *probe.Outcome) bool {
			// A login that issues nothing (the caller is named by a header
			// afterwards) works when it is served, not refused.
			return oracle.Served(o.Sample) && (l.Token == "" || hasToken(o.Sample.Body, l.Token))
		},
	}
}

// cookieLogin reads a login whose credential is the cookies it sets (no
// token path, no other credential; the identity's login fails unless the
// right password sets one): a web form answers a wrong password with the
// form again (200) or a redirect back to it, setting no cookie or a flash
// one, and the right password with a redirect onwards that sets the
// session (identity.FormSignIn) or a 2xx that sets it. A failure is an
// answer that is neither; the control works only when it signs in, so a
// login that stopped letting anyone in still reads as a lockout.
func cookieLogin(s *series, l *identity.Login) {
	signedIn := func(o *probe.Outcome) bool {
		sm := o.Sample
		if sm == nil || sm.Err != nil {
			return false
		}
		if identity.FormSignIn(l, &httpx.Response{Status: sm.Status, Header: sm.Header}) {
			return true
		}
		return oracle.Served(sm) && len((&http.Response{Header: sm.Header}).Cookies()) > 0
	}
	base := s.refused
	s.refused = func(o *probe.Outcome) bool {
		sm := o.Sample
		if sm == nil || sm.Err != nil || sm.Status == 0 || throttled(sm) != "" || sm.Status >= 500 {
			return false
		}
		return base(o) || (sm.Status/100 == 2 || sm.Status/100 == 3) && !signedIn(o)
	}
	s.works = signedIn
	s.usable = func(o *probe.Outcome) bool { return signedIn(o) || o.Sample.Unusable() == "" }
}

// hasToken reports whether a JSON body holds a non-empty string at a dot
// path.
func hasToken(body []byte, path string) bool {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return false
	}
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		v = m[k]
	}
	s, ok := v.(string)
	return ok && s != ""
}
