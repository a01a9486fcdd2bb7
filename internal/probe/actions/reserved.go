package actions

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	register "github.com/authprobe/authprobe/internal/probe/accounts"
)

// reservedLast sends, after every other write, the lifecycle endpoints
// that no phase got a 2xx from and whose body an account's own values
// complete: a route whose code checks a password but that is no
// identity's login (POST /rotate-key {"email", "password"}: the brute-force
// check only sent it wrong passwords), and a reset request (the account's
// e-mail). Once each, with the values of an account the scan registered,
// never a configured one's.
func reservedLast(ctx context.Context, p *probe.Pass, owned map[string]ownedIDs, first string) {
	acc := madeAccount(p)
	if acc == nil {
		return
	}
	served := servedWrites(p)
	logins := p.LoginKeys()
	f := p.Settings().Flows
	inv := p.Inventory()
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if ctx.Err() != nil {
			return
		}
		if ep.Method != http.MethodPost && ep.Method != http.MethodPut && ep.Method != http.MethodPatch {
			continue
		}
		role := f.Role(ep)
		if served[ep.Key()] || logins[ep.Key()] {
			continue
		}
		src := bodyOf(p, ep)
		var body map[string]any
		ok := false
		query := url.Values{}
		switch role {
		case probe.RoleLogin:
			body, ok = withOwnCredentials(src, acc)
		case probe.RoleResetRequest:
			body, ok = withOwnUser(src, acc)
		case probe.RoleResetConfirm:
			// A confirmation that asks for no secret (a user name and a
			// new password, in the body or the query): the account's
			// own password is set again, so nothing changes.
			body, query, ok = tokenlessReset(ep, src, acc)
		}
		if !ok {
			continue
		}
		creds := identity.Creds{}
		if acc.Identity != nil {
			if c, err := acc.Identity.Creds(ctx, p.Session()); err == nil {
				creds = c
			}
		}
		u, b := fill(p, ep, body, owned[first], nil)
		u = setQuery(u, query)
		o := send(ctx, p, ep, u, b, creds, acc.Name+" (its own values in the body, sent last)")
		p.Note(fmt.Sprintf("actions: %s (a %s flow no check got a 2xx from) sent last with the values of %s, which the scan registered: answered %d", ep.Key(), strings.ReplaceAll(role, "_", " "), acc.Name, o.Sample.Status))
	}
}

// withOwnUser fills a body's e-mail and user fields with the account's;
// false when it has neither, or takes a password (not a reset request).
func withOwnUser(body map[string]any, acc *register.Account) (map[string]any, bool) {
	out, pw := withOwnCredentials(body, acc)
	if pw {
		return nil, false
	}
	for k, v := range out {
		if fmt.Sprint(body[k]) != fmt.Sprint(v) {
			return out, true
		}
	}
	return nil, false
}

// servedWrites are the inventory's endpoints some request of the scan
// so far got a 2xx from.
func servedWrites(p *probe.Pass) map[string]bool {
	out := map[string]bool{}
	for _, e := range p.Session().Client.Transcript() {
		if e.Status/100 != 2 {
			continue
		}
		u, err := url.Parse(e.URL)
		if err != nil {
			continue
		}
		if ep, _ := inventory.Instance(p.Inventory().Endpoints, e.Method, u.Path); ep != nil {
			out[ep.Key()] = true
		}
	}
	return out
}

// tokenlessReset fills a reset confirmation that takes a user and a new
// password but no token or code, from its body or its query parameters:
// the user from the account, the password the account already has. False
// when it takes a secret, or lacks either field.
func tokenlessReset(ep *inventory.Endpoint, body map[string]any, acc *register.Account) (map[string]any, url.Values, bool) {
	names := map[string]bool{}
	for k := range body {
		names[k] = true
	}
	for _, prm := range ep.Params {
		if prm.In == "query" {
			names[prm.Name] = true
		}
	}
	user, pw := "", ""
	for k := range names {
		l := strings.ToLower(k)
		switch {
		case strings.Contains(l, "token") || strings.Contains(l, "code") || l == "otp" || strings.Contains(l, "secret"):
			return nil, nil, false
		case strings.Contains(l, "pass") || strings.Contains(l, "pwd"):
			pw = k
		case strings.Contains(l, "mail") || l == "username" || l == "user" || l == "user_name" || l == "login":
			user = k
		}
	}
	if user == "" || pw == "" {
		return nil, nil, false
	}
	userValue := acc.User
	if strings.Contains(strings.ToLower(user), "mail") {
		if v, ok := lookup(registered(acc), "mail"); ok {
			userValue = v
		}
	}
	out := map[string]any{}
	for k, v := range body {
		out[k] = v
	}
	query := url.Values{}
	for k, v := range map[string]string{user: userValue, pw: acc.Password} {
		if _, inBody := body[k]; inBody {
			out[k] = v
		} else {
			query.Set(k, v)
		}
	}
	return out, query, true
}

// setQuery sets the query values on u, replacing any it carries (an
// example value of the same parameter).
func setQuery(u string, q url.Values) string {
	if len(q) == 0 {
		return u
	}
	pu, err := url.Parse(u)
	if err != nil {
		return u
	}
	all := pu.Query()
	for k := range q {
		all.Set(k, q.Get(k))
	}
	pu.RawQuery = all.Encode()
	return pu.String()
}
