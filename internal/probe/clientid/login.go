package clientid

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// secretWords name a login field that proves who the caller is.
var secretWords = []string{"pass", "pwd", "secret", "pin", "otp", "code", "key", "token", "credential"}

// loginNames: a configured JSON login whose body holds a field naming the
// user and nothing secret ({"username": "atlas"}) is a request value that
// names the caller. It is proven when the login, sent with another
// identity's name alone, issues a token for that identity (its claims or
// the answer name it) while a made-up name is refused.
func loginNames(ctx context.Context, p *probe.Pass, selves []*principal.Self) {
	done := map[string]bool{}
	for _, a := range p.Identities() {
		l := a.Login
		if l == nil || l.JSON == nil || l.Token == "" {
			continue
		}
		field := userField(l.JSON)
		if field == "" || hasSecret(l.JSON) {
			continue
		}
		u, err := p.Session().Resolve(l.URL)
		if err != nil || done[u] {
			continue
		}
		done[u] = true
		for _, b := range p.Identities() {
			if b == a || b.Login == nil || b.Login.URL != l.URL {
				continue
			}
			vb, ok := b.Login.JSON.Lookup(field)
			name, value := nameValue(vb)
			self := principal.Named(selves, b.Name)
			if !ok || value == nil || self == nil {
				continue
			}
			o := sendLogin(ctx, p, l, u, field, value, fmt.Sprintf("%s's login body with %s's %s only", a.Name, b.Name, field))
			tok := tokenAt(o.Sample, l.Token)
			if tok == "" || !names(tok, o.Sample.Body, self) {
				continue
			}
			made := madeUp(name)
			var madeValue any = made
			if _, isStr := value.(string); !isStr {
				// A numeric id (userId: 1) gets a number nobody has.
				madeValue = json.Number(made)
			}
			ctl := sendLogin(ctx, p, l, u, field, madeValue, "a made-up "+field+" (control)")
			anyName, ok := controlVerdict(ctl.Sample, l.Token, made)
			if !ok {
				p.Note(fmt.Sprintf("%s %s: a login without a secret issued %s's token, but a made-up %s was not refused (%s)", l.Method, l.URL, b.Name, field, status(ctl)))
				continue
			}
			reportLogin(p, l, u, field, a.Name, b.Name, o, ctl, anyName)
			break
		}
	}
}

// controlVerdict judges the made-up name's login. Refused: the login
// checks the name against its users (ok, not anyName). Served a token that
// names the made-up value: the login mints a token for whatever name it is
// sent, which proves the same weakness more broadly (ok, anyName). Served
// anything else (a token naming nobody, a guest answer): not proven.
func controlVerdict(s *oracle.Sample, tokenPath, made string) (anyName, ok bool) {
	tok := tokenAt(s, tokenPath)
	if tok == "" && !oracle.Served(s) {
		return false, true
	}
	if tok == "" {
		return false, false
	}
	self := principal.NewSelf(made)
	self.Add(made, "the made-up name sent")
	if names(tok, s.Body, self) {
		return true, true
	}
	return false, false
}

// userField is the dot path of the field naming the user in a login body.
func userField(b identity.Body) string {
	for _, path := range b.Paths() {
		last := path[strings.LastIndex(path, ".")+1:]
		if principal.IsIdentityKey(last) || principal.Norm(last) == "name" {
			return path
		}
	}
	return ""
}

func hasSecret(b identity.Body) bool {
	for _, path := range b.Paths() {
		last := strings.ToLower(path[strings.LastIndex(path, ".")+1:])
		for _, w := range secretWords {
			if strings.Contains(last, w) {
				return true
			}
		}
	}
	return false
}

// nameValue is a login body's user value as text and as it is sent: a
// string, or a number (a numeric user id: {"userId": 1}); nil for
// anything else.
func nameValue(v any) (string, any) {
	switch t := v.(type) {
	case string:
		return t, t
	case float64:
		if t == float64(int64(t)) {
			return fmt.Sprint(int64(t)), json.Number(fmt.Sprint(int64(t)))
		}
	case int:
		return fmt.Sprint(t), json.Number(fmt.Sprint(t))
	case int64:
		return fmt.Sprint(t), json.Number(fmt.Sprint(t))
	case json.Number:
		return t.String(), t
	}
	return "", nil
}

func sendLogin(ctx context.Context, p *probe.Pass, l *identity.Login, u, field string, name any, label string) *probe.Outcome {
	body, _ := json.Marshal(identity.Body(l.JSON).With(field, name))
	m := strings.ToUpper(l.Method)
	if m == "" {
		m = http.MethodPost
	}
	req := &httpx.Request{Method: m, URL: u, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
	o := p.Send(probe.WithLabel(ctx, label), nil, req, identity.Creds{}, nil)
	o.Label = label
	return o
}

// tokenAt is the string at a dot path of a served JSON answer.
func tokenAt(s *oracle.Sample, path string) string {
	if !oracle.Served(s) {
		return ""
	}
	var v any
	if json.Unmarshal(s.Body, &v) != nil {
		return ""
	}
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[k]
	}
	t, _ := v.(string)
	return t
}

// names: the token's identity claims or the answer's identity fields hold
// one of the self's values.
func names(tok string, body []byte, self *principal.Self) bool {
	for k, v := range principal.Claims(tok) {
		if principal.IsIdentityKey(k) && self.Has(v) {
			return true
		}
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return false
	}
	var walk func(v any, depth int) bool
	walk = func(v any, depth int) bool {
		if depth > 8 {
			return false
		}
		switch t := v.(type) {
		case map[string]any:
			for k, x := range t {
				if principal.IsIdentityKey(k) && self.Has(x) || walk(x, depth+1) {
					return true
				}
			}
		case []any:
			for _, x := range t {
				if walk(x, depth+1) {
					return true
				}
			}
		}
		return false
	}
	return walk(v, 0)
}

func reportLogin(p *probe.Pass, l *identity.Login, u, field, as, whom string, o, ctl *probe.Outcome, anyName bool) {
	path := u
	if pu, err := url.Parse(u); err == nil {
		path = pu.Path
	}
	m := strings.ToUpper(l.Method)
	if m == "" {
		m = http.MethodPost
	}
	pass := &probe.Pass{Env: p.Env}
	f := catalog.New(Rule)
	f.Endpoint = &finding.Endpoint{Method: m, Path: path}
	f.Identity = as
	f.Confidence = finding.Confirmed
	f.Message = fmt.Sprintf("the login takes who the caller is from the body field %q and asks for no secret: %s's %s alone was issued a token for %s (status %d), a made-up %s was refused",
		field, whom, field, whom, o.Sample.Status, field)
	ctlNote := fmt.Sprintf("a made-up %s got no token (%s)", field, status(ctl))
	if anyName {
		f.Message = fmt.Sprintf("the login takes who the caller is from the body field %q and asks for no secret: %s's %s alone was issued a token for %s (status %d), and a made-up %s was issued a token naming it too: the login mints a token for any name",
			field, whom, field, whom, o.Sample.Status, field)
		ctlNote = fmt.Sprintf("a made-up %s was issued a token naming that made-up value (%s)", field, status(ctl))
	}
	f.Evidence = pass.Evidence(o, fmt.Sprintf("a login with %s's %s and nothing else was answered with a token naming %s", whom, field, whom), ctlNote)
	p.Report(f)
}
