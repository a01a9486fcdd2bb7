package lifecycle

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
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// RuleResetNoProof: a password reset that takes a user and a new password
// and nothing that proves the caller may set it.
const RuleResetNoProof = "account.reset-without-proof"

// proofWords name a request field that proves the caller may reset a
// password: a token or code sent to the owner, an old password, an
// answer, a signature.
var proofWords = []string{"token", "code", "otp", "pin", "secret", "answer", "old", "current", "nonce", "signature", "sig", "hash", "verif"}

// resetShape is what a reset endpoint takes: its fields, where each
// travels, and which name the user and the new password.
type resetShape struct {
	user      string
	passwords []string
	inQuery   map[string]bool
	form      bool
	fields    []string
}

// shapeOf reads the fields a reset endpoint takes (the spec's parameters
// and body, the source's reads); ok when they name a user and a new
// password and nothing that proves the caller may set it. A path with a
// parameter (/reset/{token}) or fields nobody knows are never judged.
func shapeOf(p *probe.Pass, ep *inventory.Endpoint) (resetShape, bool) {
	s := resetShape{inQuery: map[string]bool{}}
	if strings.Contains(ep.Path, "{") {
		return s, false
	}
	seen := map[string]bool{}
	add := func(name string, query bool) {
		if name == "" || seen[name] {
			return
		}
		seen[name] = true
		s.fields = append(s.fields, name)
		s.inQuery[name] = query
	}
	for _, prm := range ep.Params {
		add(prm.Name, prm.In == "query")
	}
	if b, ok := p.Inventory().Bodies[ep.Key()]; ok {
		if m, ok := b.Value.(map[string]any); ok {
			for k := range m {
				add(k, false)
			}
			s.form = b.Form
		}
	}
	if b, ok := p.Settings().SourceBodies[ep.Key()]; ok {
		for k := range b.Value {
			add(k, false)
		}
		s.form = s.form || b.Form
	}
	for k := range p.Settings().SourceQueries[ep.Key()] {
		add(k, true)
	}
	sort.Strings(s.fields)
	for _, f := range s.fields {
		l := strings.ToLower(f)
		for _, w := range proofWords {
			if strings.Contains(l, w) {
				return s, false
			}
		}
		switch {
		case passwordField(f):
			s.passwords = append(s.passwords, f)
		case s.user == "" && userField(f):
			s.user = f
		}
	}
	return s, s.user != "" && len(s.passwords) > 0
}

// request sets user's password to pw through the reset endpoint.
func (s resetShape) request(p *probe.Pass, ep *inventory.Endpoint, user, pw string) *httpx.Request {
	q := url.Values{}
	body := map[string]any{}
	for _, f := range s.fields {
		v := ""
		switch {
		case f == s.user:
			v = user
		case passwordField(f):
			v = pw
		default:
			continue // a field that is neither: left out
		}
		if s.inQuery[f] {
			q.Set(f, v)
		} else {
			body[f] = v
		}
	}
	u := p.URL(ep)
	if pu, err := url.Parse(u); err == nil && len(q) > 0 {
		// The URL's query holds the parameters' examples: the fields set
		// here replace theirs (a second username would name another
		// account to whichever the API reads first).
		have := pu.Query()
		for k, v := range q {
			have[k] = v
		}
		pu.RawQuery = have.Encode()
		u = pu.String()
	}
	req := &httpx.Request{Method: ep.Method, URL: u, Header: http.Header{}, NoRetry: true}
	if len(body) > 0 {
		if s.form {
			f := url.Values{}
			for k, v := range body {
				f.Set(k, fmt.Sprint(v))
			}
			req.Body = []byte(f.Encode())
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req.Body, _ = json.Marshal(body)
			req.Header.Set("Content-Type", "application/json")
		}
	}
	return req
}

// runResetNoProof sets a throwaway identity's password through each
// reset endpoint that takes nothing proving the caller may, sent without
// any credential; the new password then signing in (and the old one no
// longer) proves it. The password is put back the same way.
func runResetNoProof(ctx context.Context, p *probe.Pass) {
	if !p.AllowWrites() {
		return
	}
	flows := p.Settings().Flows
	inv := p.Inventory()
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if ep.Method == http.MethodGet || flows.Role(ep) != probe.RoleResetConfirm || ctx.Err() != nil {
			continue
		}
		s, ok := shapeOf(p, ep)
		if !ok {
			continue
		}
		for _, id := range p.Identities() {
			if !id.Throwaway {
				continue
			}
			v := verifierOf(ctx, p, id)
			if v == nil || strings.Contains(strings.ToLower(s.user), "mail") != strings.Contains(v.user, "@") {
				continue
			}
			if proveNoProof(ctx, p, ep, s, id, v) {
				break
			}
		}
	}
}

func proveNoProof(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, s resetShape, id *identity.Identity, v *verifier) bool {
	if !v.works(ctx, v.password) {
		return false
	}
	pw := newPassword()
	p.Redactor().Add(pw)
	req := s.request(p, ep, v.user, pw)
	resp := send(ctx, p, req)
	if resp.Err != nil || !v.works(ctx, pw) {
		return false
	}
	oldRefused := !v.works(ctx, v.password)
	back := send(ctx, p, s.request(p, ep, v.user, v.password))
	if back.Err != nil || !v.works(ctx, v.password) {
		p.Note(fmt.Sprintf("could not put back the password of throwaway identity %s through %s (it is now %q)", id.Name, ep.Key(), pw))
	}
	restoreCheck(ctx, p, id)
	control := "the request carried no credential, and its fields (" + strings.Join(s.fields, ", ") + ") hold no token, code or old password"
	if oldRefused {
		control += "; the old password was refused afterwards"
	}
	report(p, RuleResetNoProof, &finding.Endpoint{Method: ep.Method, Path: ep.Path}, id.Name,
		fmt.Sprintf("%s set the password of %s without any proof: a user name and a new password were enough, and the new password then signed in", ep.Key(), v.user),
		evidence(p, req, resp.Status, "the new password signed "+v.user+" in afterwards", control), finding.Confirmed)
	return true
}
