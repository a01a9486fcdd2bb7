package lifecycle

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

var confirmBody = map[string]any{"token": "{token}", "new_password": "{new_password}"}

// runReset asks for a throwaway account's password reset; when the answer
// carries the token, it spends it (proving it), spends it again (reuse),
// judges its shape, and puts the password back.
func runReset(ctx context.Context, p *probe.Pass) {
	if !p.AllowWrites() {
		return
	}
	for _, a := range throwaways(p) {
		req, confirm := flowFor(p, probe.RoleResetRequest, a.url), flowFor(p, probe.RoleResetConfirm, a.url)
		if req == nil {
			req, confirm = resetPair(p)
		}
		if req == nil || a.userField == "" {
			return // a user named in the login path names none in a reset body
		}
		if a.id.Login.Form != nil {
			// A web app whose sign-in is a form reads its reset forms
			// the same way (request.form), unless the config says more.
			req, confirm = req.asForm(map[string]string{a.userField: "{username}"}), confirm.asForm(confirmForm(a))
		}
		resetFlow(ctx, p, a, req, confirm)
		return
	}
}

// resetPair: one path that both asks for a reset and spends its token,
// by method (POST /reset_password asks with the e-mail, PUT
// /reset_password sends e-mail, token and new password): the path names
// a reset, the methods tell the steps apart. Nil when no path has both.
func resetPair(p *probe.Pass) (rq, confirm *flow) {
	post, update := pairOf(p.Inventory(), p.Settings().Flows)
	if post == nil {
		return nil, nil
	}
	return endpointFlow(p, probe.RoleResetRequest, post), endpointFlow(p, probe.RoleResetConfirm, update)
}

// pairOf is the POST and the PUT or PATCH of the first path (in order)
// that names a reset and has both.
func pairOf(inv *inventory.Inventory, f probe.Flows) (post, update *inventory.Endpoint) {
	byPath := map[string][]*inventory.Endpoint{}
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if f.Role(ep) == probe.RoleResetConfirm {
			byPath[ep.Path] = append(byPath[ep.Path], ep)
		}
	}
	var paths []string
	for path := range byPath {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		var post, update *inventory.Endpoint
		for _, ep := range byPath[path] {
			switch ep.Method {
			case http.MethodPost:
				post = ep
			case http.MethodPut, http.MethodPatch:
				update = ep
			}
		}
		if post != nil && update != nil {
			return post, update
		}
	}
	return nil, nil
}

// confirmForm is a reset confirmation as a form: the token under the
// names such forms give it, the new password, and the account's user
// (forms that look the account up by e-mail).
func confirmForm(a *account) map[string]string {
	return map[string]string{"token": "{token}", "reset_token": "{token}", "new_password": "{new_password}", a.userField: "{username}"}
}

func resetFlow(ctx context.Context, p *probe.Pass, a *account, rq, confirm *flow) {
	ask := func() (string, *flowResult) {
		r := rq.request(identity.Body{}.With(a.userField, "{username}"), vars{"username": a.user}, identity.Creds{})
		resp := send(ctx, p, r)
		res := &flowResult{req: r, status: resp.Status}
		if resp.Err != nil || resp.Status/100 != 2 {
			return "", res
		}
		return resetToken(p, resp.Body), res
	}
	tok, asked := ask()
	if tok == "" {
		if asked.status/100 == 2 {
			p.Note(fmt.Sprintf("%s returned no reset token (sent out of band): reuse and expiry not tested", rq.endpoint))
		}
		return
	}
	p.Redactor().Add(tok)
	if confirm == nil {
		p.Note(fmt.Sprintf("%s returned what looks like a reset token, but no reset confirmation request is known (flows.reset_confirm)", rq.endpoint))
		return
	}
	current := a.password
	defer func() { restoreByReset(ctx, p, a, ask, confirm, current) }()
	p1 := newPassword()
	p.Redactor().Add(p1)
	spend := func(pw string) *flowResult {
		r := confirm.request(confirmBody, vars{"token": tok, "new_password": pw, "username": a.user}, identity.Creds{})
		resp := send(ctx, p, r)
		return &flowResult{req: r, status: resp.Status}
	}
	first := spend(p1)
	if first.status/100 != 2 {
		return
	}
	if _, err := a.login(ctx, p, p1, nil); err != nil {
		return // the token did not reset the password: not proven
	}
	current = p1
	report(p, RuleResetInResponse, rq.endpoint, a.id.Name,
		fmt.Sprintf("%s returned the reset token of %s to an anonymous caller, and %s set a new password with it", rq.endpoint, a.user, confirm.endpoint),
		evidence(p, asked.req, asked.status, "the token in the answer reset the password (the new password logs in)", "the reset request carried no credential"),
		finding.Confirmed)
	if why := guessable(tok); why != "" {
		report(p, RuleResetGuessable, rq.endpoint, a.id.Name,
			fmt.Sprintf("the reset token of %s is %s", a.user, why),
			evidence(p, asked.req, asked.status, "reset token "+why, "the token reset the password"), finding.Confirmed)
	}
	if jwtNoExp(tok) {
		report(p, RuleResetNoExpiry, rq.endpoint, a.id.Name,
			fmt.Sprintf("the reset token of %s is a signed token with no exp claim", a.user),
			evidence(p, asked.req, asked.status, "reset token without exp", "the token reset the password"), finding.Confirmed)
	}
	second := spend(a.password)
	if second.status/100 != 2 {
		return
	}
	if _, err := a.login(ctx, p, a.password, nil); err != nil {
		return
	}
	current = a.password
	report(p, RuleResetReusable, confirm.endpoint, a.id.Name,
		fmt.Sprintf("%s accepted the same reset token of %s twice; both times the password changed", confirm.endpoint, a.user),
		evidence(p, second.req, second.status, "a spent reset token reset the password again", "the first use had already changed the password"),
		finding.Confirmed)
}

// restoreByReset puts the configured password back with a new reset.
func restoreByReset(ctx context.Context, p *probe.Pass, a *account, ask func() (string, *flowResult), confirm *flow, current string) {
	if current != a.password {
		if tok, _ := ask(); tok != "" {
			p.Redactor().Add(tok)
			r := confirm.request(confirmBody, vars{"token": tok, "new_password": a.password, "username": a.user}, identity.Creds{})
			send(ctx, p, r)
		}
		if pw := flowFor(p, probe.RolePasswordChange, a.url); pw != nil {
			if _, err := a.login(ctx, p, a.password, nil); err != nil {
				restorePassword(ctx, p, a, pw, current)
				return
			}
		}
	}
	if _, err := a.login(ctx, p, a.password, nil); err != nil {
		p.Note(fmt.Sprintf("could not put back the password of throwaway identity %s (it is now %q): %v", a.id.Name, current, err))
		return
	}
	restoreCheck(ctx, p, a.id)
}

// resetToken finds a reset token in an answer: the configured path, else
// the first field whose name says token or code.
func resetToken(p *probe.Pass, body []byte) string {
	if path := p.Settings().Flows.ResetToken; path != "" {
		return dig(body, path)
	}
	var doc map[string]any
	if json.Unmarshal(body, &doc) != nil {
		return ""
	}
	return findToken(doc, 0)
}

func findToken(m map[string]any, depth int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		l := strings.ToLower(k)
		named := strings.Contains(l, "token") || strings.Contains(l, "code") || l == "otp"
		switch v := m[k].(type) {
		case string:
			if named && v != "" {
				return v
			}
		case float64:
			if named {
				return fmt.Sprintf("%.0f", v)
			}
		case map[string]any:
			if depth < 3 {
				if t := findToken(v, depth+1); t != "" {
					return t
				}
			}
		}
	}
	return ""
}

var digits = regexp.MustCompile(`^[0-9]+$`)

// guessable says why a token's space is small enough to search, or "".
func guessable(tok string) string {
	switch {
	case digits.MatchString(tok) && len(tok) <= 10:
		return fmt.Sprintf("a %d-digit number (%d candidates)", len(tok), pow10(len(tok)))
	case len(tok) < 12:
		return fmt.Sprintf("%d characters long", len(tok))
	}
	return ""
}

func pow10(n int) int64 {
	v := int64(1)
	for range n {
		v *= 10
	}
	return v
}

// jwtNoExp reports whether tok is a JWT whose payload has no exp.
func jwtNoExp(tok string) bool {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return false
	}
	var claims map[string]any
	if json.Unmarshal(raw, &claims) != nil {
		return false
	}
	_, has := claims["exp"]
	return !has
}
