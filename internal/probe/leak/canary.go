package leak

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// canary is one identity's own secret, looked for in the answers other
// callers get: its password, API key, token or session value.
type canary struct {
	who   string
	admin bool
	kind  string // "password", "API key", "token", "session value"
	value string
}

// minCanary is the shortest secret looked for: shorter ones match by
// chance.
const minCanary = 6

// canaries lists the secrets of every identity of the scan, configured or
// made by it: never one that is also a value the identity is known by in
// the open (a password equal to its user name), nor one shared by two
// identities (whose would it be?).
func canaries(ctx context.Context, p *probe.Pass, selves []*principal.Self) []canary {
	var out []canary
	count := map[string]int{}
	for _, id := range p.Identities() {
		creds, err := id.Creds(ctx, p.Session())
		if err != nil {
			continue
		}
		self := principal.Named(selves, id.Name)
		add := func(kind, v string) {
			if len(v) < minCanary || self != nil && self.Has(v) || wordLike(v) {
				return
			}
			count[v]++
			out = append(out, canary{who: id.Name, admin: id.Admin(), kind: kind, value: v})
		}
		add("password", id.Login.Password())
		add("token", strings.TrimSpace(strings.TrimPrefix(creds.Bearer, "Bearer ")))
		add("API key", creds.Unplaced)
		for _, v := range creds.Headers {
			if _, pw, ok := identity.ParseBasic(v); ok {
				add("password", pw) // HTTP Basic: the password is the secret
				continue
			}
			add(headerKind(v), v)
		}
		for _, v := range creds.Query {
			add("API key", v)
		}
		for _, v := range creds.Cookies {
			add("session value", v)
		}
	}
	kept := out[:0]
	for _, c := range out {
		if count[c.value] == 1 {
			kept = append(kept, c)
		}
	}
	return kept
}

// wordLike: letters only and shorter than 12 characters ("password",
// "changeme"): a value a schema, a form or a page holds for reasons of its
// own, not a canary.
func wordLike(v string) bool {
	if len(v) >= 12 {
		return false
	}
	for _, r := range v {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

func headerKind(v string) string {
	if principal.Claims(strings.TrimSpace(strings.TrimPrefix(v, "Bearer "))) != nil {
		return "token"
	}
	return "API key"
}

// canariesIn lists the canaries a body holds: a JSON body's scalar, at
// any depth and in arrays too, equal to one (or holding one of 12
// characters or more, as "Bearer <token>" does); any other body holding
// one of 8 characters or more.
func canariesIn(body []byte, cs []canary) []canary {
	var v any
	var found []canary
	has := map[int]bool{}
	if json.Unmarshal(body, &v) != nil {
		text := string(body)
		for i, c := range cs {
			if len(c.value) >= 8 && containsAny(text, forms(c.value)) && !has[i] {
				has[i] = true
				found = append(found, c)
			}
		}
		return found
	}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 12 {
			return
		}
		switch t := v.(type) {
		case map[string]any:
			for _, x := range t {
				walk(x, depth+1)
			}
		case []any:
			for _, x := range t {
				walk(x, depth+1)
			}
		case string:
			for i, c := range cs {
				if !has[i] && (t == c.value || len(c.value) >= 12 && strings.Contains(t, c.value)) {
					has[i] = true
					found = append(found, c)
				}
			}
		}
	}
	walk(v, 0)
	return found
}

// othersOnly drops the caller's own canaries: its own secret sent back is
// leak.credential-in-response's echo case.
func othersOnly(cs []canary, caller string) []canary {
	var out []canary
	for _, c := range cs {
		if c.who != caller {
			out = append(out, c)
		}
	}
	return out
}

// runCanaries reports a read answered, to anonymous callers or to an
// identity, with another identity's own secret: a list of users with
// their plaintext passwords, a key directory. One finding per endpoint,
// anonymous first; severity by what leaks to whom. An administrator's
// answers count only for passwords (managing others' keys is its job;
// reading their plaintext passwords never is).
func runCanaries(ctx context.Context, p *probe.Pass) {
	var cs []canary
	for _, ep := range p.Endpoints() {
		if ctx.Err() != nil {
			return
		}
		if ep.Method != http.MethodGet || p.Proven(ruleSensitive, ep) {
			continue
		}
		if cs == nil {
			if cs = canaries(ctx, p, principal.Selves(ctx, p.Env)); len(cs) == 0 {
				return
			}
		}
		if anon := p.Anonymous(ep); ok2xx(anon) && len(canariesIn(anon.Body, cs)) > 0 {
			again := p.Send(ctx, ep, nil, identity.Creds{}, nil)
			again.Label = "anonymous (reproduced)"
			if found := canariesIn(bodyOf(again.Sample), cs); ok2xx(again.Sample) && len(found) > 0 {
				reportCanaries(p, ep, "", again, found)
				continue
			}
		}
		if p.Proven("authz.bola", ep) {
			// Another identity's record served whole, its secret in it:
			// that read is the BOLA finding already (one weakness).
			continue
		}
		for _, c := range p.Matrix(ep) {
			if c.Variant != slots.CellIdentity || c.Outcome == nil || !ok2xx(c.Outcome.Sample) {
				continue
			}
			found := callerMay(othersOnly(canariesIn(c.Outcome.Sample.Body, cs), c.Identity), isAdmin(p, c.Identity))
			if len(found) == 0 {
				continue
			}
			again := p.Send(ctx, ep, nil, c.Creds, nil)
			again.Label = c.Identity + " (reproduced)"
			if found = callerMay(othersOnly(canariesIn(bodyOf(again.Sample), cs), c.Identity), isAdmin(p, c.Identity)); ok2xx(again.Sample) && len(found) > 0 {
				reportCanaries(p, ep, c.Identity, again, found)
				break
			}
		}
	}
}

func callerMay(cs []canary, admin bool) []canary {
	if !admin {
		return cs
	}
	var out []canary
	for _, c := range cs {
		if c.kind == "password" {
			out = append(out, c)
		}
	}
	return out
}

func isAdmin(p *probe.Pass, name string) bool {
	for _, id := range p.Identities() {
		if id.Name == name {
			return id.Admin()
		}
	}
	return false
}

// leaksOthers: the anonymous answer of ep holds an identity's secret (the
// other checks of the endpoint's data leave it to this one).
func leaksOthers(body []byte, cs []canary) bool { return len(canariesIn(body, cs)) > 0 }

func reportCanaries(p *probe.Pass, ep *inventory.Endpoint, who string, o *probe.Outcome, found []canary) {
	pass := &probe.Pass{Env: p.Env, Endpoint: ep}
	f := pass.Finding(catalog.New(ruleLeak))
	f.Identity = who
	f.Confidence = finding.Confirmed
	f.Severity = finding.High
	var what []string
	for _, c := range found {
		what = append(what, c.who+"'s "+c.kind)
		if c.admin || who == "" {
			f.Severity = finding.Critical
		}
	}
	sort.Strings(what)
	to := "a request without credentials"
	if who != "" {
		to = "identity " + who + "'s request"
	}
	f.Message = fmt.Sprintf("%s is answered with another principal's own secret: %s (values not shown); whoever reads the answer logs in as them", to, strings.Join(what, ", "))
	for _, c := range found {
		p.Redactor().Add(c.value)
	}
	f.Evidence = pass.Evidence(o, "the values are the identities' own (what they log in with or send as their credential), found in the answer twice", "each identity's secret is looked for only in the answers other callers get")
	p.Report(f)
}
