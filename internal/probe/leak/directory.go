package leak

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// listed returns the configured identities an answer lists as principals
// — bare strings, or records made of identity fields only ({"id": 1,
// "username": "alice"}) — by one of each identity's own values; nil
// unless at least two identities are listed. A list of objects that
// carry other data beside an author's name (posts, orders) is not a
// directory of principals and is never judged here.
func listed(body []byte, selves []*principal.Self) []string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	who := map[string]bool{}
	match := func(x any) {
		for _, s := range selves {
			if s.Has(x) {
				who[s.Name] = true
			}
		}
	}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 8 {
			return
		}
		switch t := v.(type) {
		case []any:
			for _, x := range t {
				switch e := x.(type) {
				case string:
					match(e)
				case map[string]any:
					if principalRecord(e) {
						// A record's own "id" names no one by itself: a
						// category numbered like a user is no one's.
						for k, f := range e {
							if principal.Norm(k) != "id" {
								match(f)
							}
						}
						continue
					}
					walk(e, depth+1)
				default:
					walk(e, depth+1)
				}
			}
		case map[string]any:
			for _, x := range t {
				walk(x, depth+1)
			}
		}
	}
	walk(v, 0)
	if len(who) < 2 {
		return nil
	}
	return sortedSet(who)
}

// principalRecord: every field of the record says who a principal is
// (identity fields and a display name).
func principalRecord(m map[string]any) bool {
	if len(m) == 0 {
		return false
	}
	for k := range m {
		if !principal.IsIdentityKey(k) && principal.Norm(k) != "name" {
			return false
		}
	}
	return true
}

// openFilter returns ep with each required text query parameter empty:
// a search or filter that matches by substring then matches everyone,
// and one that matches exactly matches no one. nil when ep has none.
func openFilter(ep *inventory.Endpoint) *inventory.Endpoint {
	cp := *ep
	cp.Params = append([]inventory.Param(nil), ep.Params...)
	changed := false
	for i, prm := range cp.Params {
		if prm.In == "query" && prm.Required && (prm.Type == "" || prm.Type == "string") && !switches[principal.Norm(prm.Name)] {
			cp.Params[i].Example = ""
			changed = true
		}
	}
	if !changed {
		return nil
	}
	return &cp
}

// directoryLeak reports a public answer that lists two or more configured
// identities as principals (their user names, ids or e-mails): who has an
// account, for anyone to read. The endpoint's own answer is read first,
// then, once, its text filters sent empty. Low: names of accounts, not
// their data; an e-mail among them is medium.
func directoryLeak(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, anon []byte, selves []*principal.Self) bool {
	if ep.Method != http.MethodGet {
		return false
	}
	o := (*probe.Outcome)(nil)
	names := listed(anon, selves)
	how := "the answer"
	if names != nil {
		o = p.Send(ctx, ep, nil, credsOf(nil), nil)
		o.Label = "anonymous (reproduced)"
	} else if open := openFilter(ep); open != nil {
		o = p.Send(ctx, open, nil, credsOf(nil), nil)
		o.Label = "anonymous, text filters empty"
		how = "the answer with its text filters empty (" + strings.TrimPrefix(open.Concrete(nil), open.Path) + ")"
	}
	if o == nil || !ok2xx(o.Sample) {
		return false
	}
	if names = listed(o.Sample.Body, selves); names == nil {
		return false
	}
	pass := &probe.Pass{Env: p.Env, Endpoint: ep}
	f := pass.Finding(catalog.New(rulePrincipal))
	f.Confidence = finding.Confirmed
	f.Severity = finding.Low
	if strings.Contains(string(o.Sample.Body), "@") && hasEmail(o.Sample.Body, selves) {
		f.Severity = finding.Medium
	}
	f.Message = fmt.Sprintf("a request without credentials lists the accounts of %s: %s names them as principals (user names, ids or e-mails: who has an account)",
		strings.Join(names, ", "), how)
	f.Evidence = pass.Evidence(o, "the listed values are those the identities log in with or are known by (values not shown)", "")
	p.Report(f)
	return true
}

// hasEmail: an identity's e-mail address is among the body's strings.
func hasEmail(body []byte, selves []*principal.Self) bool {
	for _, s := range selves {
		for _, v := range s.Values() {
			if strings.Contains(v, "@") && strings.Contains(strings.ToLower(string(body)), v) {
				return true
			}
		}
	}
	return false
}
