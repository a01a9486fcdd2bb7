package leak

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

const rulePrincipal = "leak.other-principal-data"

// seen is one identity's value found in an answer.
type seen struct {
	who, key, value string
}

// principalValues lists the identity fields of body whose value is one of
// a configured identity's own values (its e-mail, id, user name), and the
// admin flags of the records holding them.
func principalValues(body []byte, selves []*principal.Self) (found []seen, flags []string) {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil, nil
	}
	flagSet := map[string]bool{}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 10 {
			return
		}
		switch t := v.(type) {
		case map[string]any:
			hit := false
			var here []seen
			for k, x := range t {
				if !principal.IsIdentityKey(k) && principal.Norm(k) != "name" {
					continue
				}
				for _, s := range selves {
					if s.Has(x) {
						here = append(here, seen{who: s.Name, key: k, value: fmt.Sprint(x)})
					}
				}
			}
			// A record's own "id" says whose it is only beside another
			// field naming the same identity: a product numbered like a
			// user is no one's data.
			for _, h := range here {
				if principal.Norm(h.key) == "id" && !namedElse(here, h.who) {
					continue
				}
				found = append(found, h)
				hit = true
			}
			if hit {
				for k := range t {
					switch principal.Norm(k) {
					case "admin", "isadmin", "role", "roles", "isstaff", "superuser", "issuperuser", "permissions", "employee", "isemployee":
						flagSet[k] = true
					}
				}
			}
			for _, x := range t {
				walk(x, depth+1)
			}
		case []any:
			for _, x := range t {
				walk(x, depth+1)
			}
		}
	}
	walk(v, 0)
	for k := range flagSet {
		flags = append(flags, k)
	}
	sort.Strings(flags)
	return found, flags
}

// namedElse: a field other than "id" names identity who.
func namedElse(hits []seen, who string) bool {
	for _, h := range hits {
		if h.who == who && principal.Norm(h.key) != "id" {
			return true
		}
	}
	return false
}

// telling: the values say more than a public profile by name does — an
// e-mail address, an internal id, or a role or admin flag beside the
// identity — and more than the values the request itself asked for.
func telling(found []seen, flags []string, asked ...string) bool {
	for _, s := range found {
		if isAsked(s.value, asked) {
			continue
		}
		k := principal.Norm(s.key)
		if strings.Contains(s.value, "@") || k == "id" || k == "sub" || strings.HasSuffix(k, "id") {
			return true
		}
	}
	return len(found) > 0 && len(flags) > 0
}

func isAsked(v string, asked []string) bool {
	for _, a := range asked {
		if a != "" && strings.EqualFold(v, a) {
			return true
		}
	}
	return false
}

// pathValues are the values an endpoint's request puts in its path.
func pathValues(ep *inventory.Endpoint) []string {
	var out []string
	for _, prm := range ep.Params {
		if prm.In == "path" {
			out = append(out, prm.Example)
		}
	}
	return out
}

// ownedData names whose objects an answer to a lookup of a principal
// holds: records whose owner field is an internal id (user_id, owner_id,
// uid, sub: not a public handle such as a user name) holding the value
// the request asked for, one of an identity's values, and that carry
// data beyond who they are (orders, a balance). A record of identity
// fields only (a public profile) is not data of that kind, nor a list of
// posts by author name. It returns the identity and the data fields.
func ownedData(body []byte, selves []*principal.Self, asked []string) (string, []string) {
	for _, o := range principal.Objects(body) {
		s := principal.Whose(o, selves)
		k := principal.Norm(o.OwnerKey[strings.LastIndex(o.OwnerKey, ".")+1:])
		if s == nil || !(k == "sub" || strings.HasSuffix(k, "id")) || !isAsked(fmt.Sprint(o.Owner), asked) {
			continue
		}
		var data []string
		for k, v := range o.Fields {
			if principal.IsIdentityKey(k) || principal.Norm(k) == "name" || empty(v) {
				continue
			}
			data = append(data, k)
		}
		if len(data) > 0 {
			sort.Strings(data)
			return s.Name, data
		}
	}
	return "", nil
}

func empty(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case []any:
		return len(t) == 0
	case map[string]any:
		return len(t) == 0
	}
	return false
}

// runPrincipal reports an endpoint that answers an anonymous request with
// the identity data of configured identities (e-mail, id, user name, and
// any role or admin flag beside them). Severity by what leaks: an e-mail
// address is medium, ids and flags are low; user names alone (a public
// profile) are not reported. Credentials are
// leak.sensitive-data's business.
func runPrincipal(ctx context.Context, p *probe.Pass) { principalLeaks(ctx, p, false) }

// PrincipalAgain runs the check once more on the public endpoints not yet
// reported, with fresh anonymous answers: after the scan changed its own
// accounts (a flag its self-update set), lists that were empty of them
// may now hold them (GET /people/employees once an account is one).
func PrincipalAgain(ctx context.Context, p *probe.Pass) { principalLeaks(ctx, p, true) }

func principalLeaks(ctx context.Context, p *probe.Pass, fresh bool) {
	selves := principal.Selves(ctx, p.Env)
	if len(selves) == 0 {
		return
	}
	cs := canaries(ctx, p, selves)
	for _, ep := range p.Endpoints() {
		if ctx.Err() != nil {
			return
		}
		anon := p.Anonymous(ep)
		if fresh && ok2xx(anon) && !p.Proven(rulePrincipal, ep) && ep.Method == http.MethodGet {
			again := p.Send(ctx, ep, nil, credsOf(nil), nil)
			again.Label = "anonymous (after the scan changed its accounts)"
			anon = again.Sample
		} else if fresh {
			continue
		}
		if !ok2xx(anon) || p.Proven(ruleSensitive, ep) || leaksOthers(anon.Body, cs) {
			// Credentials served beside the identity data are the worse
			// finding of the same cause.
			continue
		}
		var again *probe.Outcome
		asked := pathValues(ep)
		if found, flags := principalValues(anon.Body, selves); telling(found, flags, asked...) || isOwned(anon.Body, selves, asked) {
			again = p.Send(ctx, ep, nil, credsOf(nil), nil)
			again.Label = "anonymous (reproduced)"
		} else {
			var v string
			if again, v = publicLookups(ctx, p, ep, selves); again == nil {
				directoryLeak(ctx, p, ep, anon.Body, selves)
				continue
			}
			asked = []string{v}
		}
		if !ok2xx(again.Sample) {
			continue
		}
		found, flags := principalValues(again.Sample.Body, selves)
		owner, data := ownedData(again.Sample.Body, selves, asked)
		if !telling(found, flags, asked...) && owner == "" {
			continue
		}
		if owner != "" && !telling(found, flags, asked...) {
			reportOwned(p, ep, again, owner, data)
			continue
		}
		who, keys, email := map[string]bool{}, map[string]bool{}, false
		for _, s := range found {
			who[s.who] = true
			keys[s.key] = true
			if strings.Contains(s.value, "@") {
				email = true
			}
		}
		pass := &probe.Pass{Env: p.Env, Endpoint: ep}
		f := pass.Finding(catalog.New(rulePrincipal))
		f.Confidence = finding.Confirmed
		if !email {
			f.Severity = finding.Low
		}
		f.Message = fmt.Sprintf("a request without credentials is answered with identity data of %s (%s)",
			strings.Join(sortedSet(who), ", "), strings.Join(sortedSet(keys), ", "))
		if len(flags) > 0 {
			f.Message += "; the records also show " + strings.Join(flags, ", ")
		}
		f.Evidence = pass.Evidence(again, "the values are those the identities log in with, carry in their tokens or get from their own profile (values not shown)", "")
		p.Report(f)
	}
}

func isOwned(body []byte, selves []*principal.Self, asked []string) bool {
	who, _ := ownedData(body, selves, asked)
	return who != ""
}

// reportOwned reports a public answer holding an identity's own objects
// (low: what the data is worth is not known).
func reportOwned(p *probe.Pass, ep *inventory.Endpoint, o *probe.Outcome, owner string, data []string) {
	pass := &probe.Pass{Env: p.Env, Endpoint: ep}
	f := pass.Finding(catalog.New(rulePrincipal))
	f.Confidence = finding.Confirmed
	f.Severity = finding.Low
	f.Message = fmt.Sprintf("a request without credentials is answered with %s's own records (%s beside an owner field naming %s)",
		owner, strings.Join(data, ", "), owner)
	f.Evidence = pass.Evidence(o, "the owner field's value is one "+owner+" is known by (its login, token or own answers; not shown)", "")
	p.Report(f)
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
