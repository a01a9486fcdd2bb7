package accounts

import (
	"encoding/json"
	"net/http"
	"sort"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
)

// discoveredTemplate is a login no identity configures, for the code's
// literal pairs (with --allow-writes, as for the brute-force series on
// such logins): a POST whose path names a login, or that the source marks
// as one, and whose body — the spec's, else the one its handler reads —
// has a user name and a password field. nil when there is none.
func discoveredTemplate(p *probe.Pass) (*identity.Identity, string, string) {
	inv := p.Inventory()
	if inv == nil || !p.AllowWrites() {
		return nil, "", ""
	}
	flows := p.Settings().Flows
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if ep.Method != http.MethodPost || !(flows.Hints[ep.Key()] == probe.RoleLogin || flows.Role(ep) == "" && probe.LoginPath(ep.Path)) {
			continue
		}
		var body map[string]any
		if b, ok := inv.Bodies[ep.Key()]; ok && !b.Form {
			body, _ = b.Value.(map[string]any)
		} else if b, ok := p.Settings().SourceBodies[ep.Key()]; ok && !b.Form {
			body = b.Value
		}
		if body == nil {
			continue
		}
		l := &identity.Login{Method: http.MethodPost, URL: ep.Path, JSON: identity.Body(body)}
		pp := passwordPath(l)
		if pp == "" {
			continue
		}
		if up := userPath(l, pp); up != "" {
			return &identity.Identity{Name: "the login at " + ep.Key(), Login: l}, up, pp
		}
	}
	return nil, "", ""
}

// tokenIn is the dot path of the credential a login answered in its JSON
// (a top-level or once-nested string field named like a token or key),
// "" when none: the session cookies it set are the credential then.
func tokenIn(body []byte) string {
	var doc map[string]any
	if json.Unmarshal(body, &doc) != nil {
		return ""
	}
	find := func(m map[string]any, prefix string) string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if s, ok := m[k].(string); ok && len(s) >= 8 && tokenKey(k) {
				return prefix + k
			}
		}
		return ""
	}
	if t := find(doc, ""); t != "" {
		return t
	}
	for k, v := range doc {
		if m, ok := v.(map[string]any); ok {
			if t := find(m, k+"."); t != "" {
				return t
			}
		}
	}
	return ""
}

func tokenKey(k string) bool {
	switch probe.Norm(k) {
	case "token", "accesstoken", "jwt", "idtoken", "authtoken", "apikey", "key", "sessiontoken":
		return true
	}
	return false
}
