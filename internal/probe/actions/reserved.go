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
	logins := loginKeys(p)
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
		if served[ep.Key()] || logins[ep.Key()] || role != probe.RoleLogin && role != probe.RoleResetRequest {
			continue
		}
		src := bodyOf(p, ep)
		var body map[string]any
		ok := false
		if role == probe.RoleLogin {
			body, ok = withOwnCredentials(src, acc)
		} else {
			body, ok = withOwnUser(src, acc)
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

// loginKeys are the identities' logins, "METHOD /path".
func loginKeys(p *probe.Pass) map[string]bool {
	out := map[string]bool{}
	for _, id := range p.Identities() {
		if id.Login == nil {
			continue
		}
		if u, err := p.Session().Resolve(id.Login.URL); err == nil {
			m := strings.ToUpper(id.Login.Method)
			if m == "" {
				m = http.MethodPost
			}
			out[m+" "+pathOf(u)] = true
		}
	}
	return out
}
