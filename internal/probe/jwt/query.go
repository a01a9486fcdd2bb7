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
	if !ok {
		return
	}
	if t.Slot.In == identity.InQuery {
		travelsInQuery(ctx, p, t)
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

// travelsInQuery: the identity's token travels in the query string (its
// configured or learnt slot, the only one the API may read) and the
// endpoint serves it there, where a malformed token in the same parameter
// is refused and a request without it is refused (calibration). The URL
// carries the token into logs, history and Referer headers whatever else
// the API reads, so the slot itself is the finding. A parameter the spec
// declares as its security scheme is a design choice reported elsewhere.
func travelsInQuery(ctx context.Context, p *probe.Pass, t *forgery.Target) {
	if len(undocumented(p, []string{strings.ToLower(t.Slot.Name)})) == 0 {
		return
	}
	o := t.Send(ctx, "token in ?"+t.Slot.Name, t.Tok.Raw)
	if !o.Accepted() {
		return
	}
	ctl, refused := t.Rejected(ctx, "malformed token in ?"+t.Slot.Name, "authprobe.malformed.token")
	if !refused {
		p.Note(fmt.Sprintf("%s: the token in ?%s was accepted but a malformed one was not refused (%s)", p.Endpoint.Key(), t.Slot.Name, ctl.Why))
		return
	}
	t.Report("jwt.token-in-query", &forgery.Forged{O: o, Token: t.Tok.Raw},
		fmt.Sprintf("the identity's token travels in the query parameter %q and is accepted there: server logs, proxies, browser history and Referer headers keep it", t.Slot.Name),
		fmt.Sprintf("a malformed token in ?%s was refused, and so was the request without it (calibration)", t.Slot.Name))
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
