package jwt

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

// queryNames are the parameter names frameworks and hand-written code read
// tokens from (flask-jwt-extended's default is "jwt").
var queryNames = []string{"access_token", "token", "jwt", "auth", "auth_token", "api_token", "id_token", "bearer", "authorization"}

func runQuery(ctx context.Context, p *probe.Pass) {
	t, ok := start(p, "jwt.token-in-query")
	if !ok || t.Slot.In == identity.InQuery {
		return
	}
	names := undocumented(p, queryNames)
	if len(names) == 0 {
		return
	}
	moved := func(tok string, names []string) identity.Creds {
		c := t.Slot.Without(p.Creds)
		for _, n := range names {
			c.Query[n] = tok
		}
		return c
	}
	// One request with every name; only when it is accepted find which.
	all := p.Try(ctx, "token in the query string", moved(t.Tok.Raw, names))
	if !all.Accepted() {
		return
	}
	for _, n := range names {
		o := p.Try(ctx, "token in ?"+n, moved(t.Tok.Raw, []string{n}))
		if !o.Accepted() {
			continue
		}
		// Control: a malformed token in the same parameter must be refused,
		// so the parameter is really read as a credential.
		ctl := p.Try(ctx, "malformed token in ?"+n, moved("authprobe.malformed.token", []string{n}))
		if !ctl.Rejected() {
			p.Note(fmt.Sprintf("%s: token in ?%s accepted but a malformed one was not refused (%s)", p.Endpoint.Key(), n, ctl.Why))
			return
		}
		f := &forgery.Forged{O: o, Token: t.Tok.Raw}
		t.Report("jwt.token-in-query", f,
			fmt.Sprintf("the identity's token was accepted from the query parameter %q with no %s", n, t.Slot.Where()),
			fmt.Sprintf("a malformed token in ?%s was refused", n))
		return
	}
}

// undocumented drops the names a spec declares as query credentials: a
// documented query scheme is a design choice reported elsewhere.
func undocumented(p *probe.Pass, names []string) []string {
	declared := map[string]bool{}
	if inv := p.Inventory(); inv != nil {
		for _, s := range inv.Schemes {
			if s.In == "query" {
				declared[strings.ToLower(s.Param)] = true
			}
		}
	}
	if p.Endpoint != nil {
		if u, err := url.Parse(p.Endpoint.Path); err == nil {
			for k := range u.Query() {
				declared[strings.ToLower(k)] = true
			}
		}
	}
	var out []string
	for _, n := range names {
		if !declared[n] {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
