package transport

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
)

// decide tries the candidates with a token (or key) on the gates: each on
// the first gate, and those it refuses on the next (the first may refuse
// every identity alike); then defaults, the source's late reads and the
// fallbacks. base is the identity's other credentials, sent along.
func (o Options) decide(ctx context.Context, name string, base identity.Creds, tok string, gates []*gate, said, defaults []Candidate) (Candidate, string) {
	best := defaults[0]
	if len(said) > 0 {
		best = said[0]
	}
	if len(gates) == 0 {
		return best, best.Why + "; not tried: no GET refused an anonymous request"
	}
	if tok == "" {
		return best, best.Why + "; not tried: the login gave no token"
	}
	queue := append(append([]Candidate(nil), said...), defaults...)
	seen := map[string]bool{}
	var tried, where []string
	last, fellBack, sent, budget := "", false, 0, maxTrials+len(o.Reads)+len(o.Late)
	for i := 0; i < len(queue) && sent < budget && ctx.Err() == nil; i++ {
		c := queue[i]
		if i == len(queue)-1 && !fellBack {
			queue, fellBack = append(append(queue, o.Late...), fallbacks...), true
		}
		p, err := identity.ParseUse(c.Use)
		if err != nil || seen[p.String()] {
			continue
		}
		seen[p.String()] = true
		o.declarePlaces([]Candidate{c})
		creds := base.Clone()
		creds.Unplaced = ""
		if p.Put(&creds, tok) != nil {
			continue
		}
		tried = append(tried, c.Use)
		for _, g := range gates {
			if sent == budget {
				break
			}
			method := http.MethodGet
			if g.method != "" {
				method = g.method
			}
			req := &httpx.Request{Method: method, URL: g.url, Header: http.Header{}, Identity: name + " (transport)", NoRetry: g.method != ""}
			if creds.Apply(req) != nil {
				break
			}
			resp := o.Client.Do(ctx, req)
			sent++
			if resp.Err != nil {
				continue
			}
			if resp.Status/100 == 2 && g.method == "" {
				return c, fmt.Sprintf("%s; served by %s (%d, anonymous %d)", c.Why, g.ep.Key(), resp.Status, g.status)
			}
			if g.param && resp.Status == http.StatusNotFound && (g.status == http.StatusUnauthorized || g.status == http.StatusForbidden) {
				// Past the gate: the made-up id is what is missing.
				return c, fmt.Sprintf("%s; let past the gate of %s (404 for a made-up id, anonymous %d)", c.Why, g.ep.Key(), g.status)
			}
			if g.bodyless && bodyRefusal(resp.Status) {
				// Past the gate: the body is what is missing.
				return c, fmt.Sprintf("%s; let past the gate of %s (%d for an empty body, anonymous %d)", c.Why, g.ep.Key(), resp.Status, g.status)
			}
			last = Excerpt(resp.Status, resp.Body)
			// What this refusal names goes before the fallbacks still queued.
			named := FromRefusal(resp.Status, resp.Header, resp.Body, g.ep.Key()+" with the token as "+c.Use)
			queue = append(queue[:i+1], append(named, queue[i+1:]...)...)
		}
	}
	for _, g := range gates {
		where = append(where, g.ep.Key())
	}
	return best, fmt.Sprintf("%s; not confirmed: %s refused every placement tried (%s), last %s", best.Why, strings.Join(where, " and "), strings.Join(tried, ", "), last)
}
