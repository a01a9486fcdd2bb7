package engine

import (
	"encoding/json"
	"fmt"
	"github.com/authprobe/authprobe/internal/oracle"
	"net/url"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
	pr "github.com/authprobe/authprobe/internal/probe/principal"
)

// splitByParams separates endpoints with path parameters, which are
// calibrated after the others so their values can come from the others'
// answers.
func splitByParams(eps []*inventory.Endpoint) (plain, params []*inventory.Endpoint) {
	for _, ep := range eps {
		if strings.Contains(ep.Path, "{") {
			params = append(params, ep)
		} else {
			plain = append(plain, ep)
		}
	}
	return plain, params
}

// harvest fills the path parameters of eps with values found in the
// identities' own answers on parameterless GET endpoints — /api/items lists
// the skus that /api/items/{sku} serves — preferring the endpoint whose
// path is the longest prefix of the parameterised one. A parameter nothing
// names keeps its spec example or type default.
func (s *Scan) harvest(eps []*inventory.Endpoint, plain []*inventory.Endpoint) {
	logins := s.loginPaths()
	for _, ep := range eps {
		sources := rankSources(ep, plain)
		for _, name := range placeholders(ep.Path) {
			if v := s.findValue(name, sources); v != "" {
				setExample(ep, name, v)
				s.Note(fmt.Sprintf("%s: {%s} = %q, taken from an identity's own answer", ep.Key(), name, v))
				continue
			}
			if lp, ok := logins.value(ep, name); ok {
				setExample(ep, name, lp.value)
				s.Note(fmt.Sprintf("%s: {%s} = %q, the %s %s is known by (its login or token)", ep.Key(), name, lp.value, lp.name, lp.who))
			}
		}
	}
}

// loginPath is one value an identity is known by, for a placeholder.
type loginPath struct {
	who, name, value string
}

// loginPathSet are the identities' own values, non-administrators first,
// and the login routes they log in through.
type loginPathSet struct {
	values []loginPath
	routes map[string]bool
}

// loginPaths lists the values each identity is known by before any check
// ran — its login path's placeholders (/shop/v1/101/login of
// /shop/v1/{user_id}/login), its login body's user fields, its token's
// identity claims, its login answer's record — each keyed by the field it
// came from.
func (s *Scan) loginPaths() loginPathSet {
	set := loginPathSet{routes: map[string]bool{}}
	var admins []loginPath
	for _, id := range s.opt.Identities {
		if route, _ := pr.LoginRoute(id.Login, s.opt.Inventory); route != nil {
			set.routes[route.Path] = true
		}
		self := pr.Of(id, s.creds[id.Name])
		self.LearnLoginPath(id.Login, s.opt.Inventory)
		for _, v := range self.IDs() {
			lp := loginPath{who: id.Name, name: self.Key(v), value: v}
			if id.Admin() {
				admins = append(admins, lp)
			} else {
				set.values = append(set.values, lp)
			}
		}
	}
	set.values = append(set.values, admins...)
	return set
}

// value is the first identity's value named like the placeholder. A login
// route itself is left alone: a real account's id there would make every
// identity's probe a failed login of that account.
func (ls loginPathSet) value(ep *inventory.Endpoint, name string) (loginPath, bool) {
	if ls.routes[ep.Path] {
		return loginPath{}, false
	}
	n := pr.Norm(name)
	for _, lp := range ls.values {
		if pr.Fills(n, lp.name) && url.PathEscape(lp.value) == lp.value {
			return lp, true
		}
	}
	return loginPath{}, false
}

// rankSources orders the parameterless GET endpoints: longest shared path
// prefix first.
func rankSources(ep *inventory.Endpoint, plain []*inventory.Endpoint) []*inventory.Endpoint {
	var out []*inventory.Endpoint
	for _, p := range plain {
		if p.Method == "GET" {
			out = append(out, p)
		}
	}
	shared := func(p *inventory.Endpoint) int {
		n := 0
		a, b := strings.Split(ep.Path, "/"), strings.Split(p.Path, "/")
		for n < len(a) && n < len(b) && a[n] == b[n] {
			n++
		}
		return n
	}
	sort.SliceStable(out, func(i, j int) bool { return shared(out[i]) > shared(out[j]) })
	return out
}

// findValue looks for the parameter in the valid answers of every identity
// on the source endpoints, primary identity first.
func (s *Scan) findValue(name string, sources []*inventory.Endpoint) string {
	keys := []string{name}
	lower := strings.ToLower(name)
	if lower != "id" && (strings.HasSuffix(lower, "_id") || strings.HasSuffix(lower, "id")) {
		keys = append(keys, "id")
	}
	for _, src := range sources {
		for _, id := range s.opt.Identities {
			cal := s.Calibration(src, id)
			if cal == nil || !cal.Gated && len(cal.Accepted) == 0 {
				continue
			}
			for _, sample := range cal.Accepted {
				if !oracle.Served(sample) {
					continue
				}
				var doc any
				if json.Unmarshal(sample.Body, &doc) != nil {
					continue
				}
				for _, k := range keys {
					if v := firstValue(doc, k, 0); v != "" {
						return v
					}
				}
			}
		}
	}
	return ""
}

// firstValue returns the first scalar under key in a JSON document, as a
// path-safe string.
func firstValue(doc any, key string, depth int) string {
	if depth > 8 {
		return ""
	}
	switch t := doc.(type) {
	case map[string]any:
		if v, ok := t[key]; ok {
			if s := scalar(v); s != "" {
				return s
			}
		}
		names := make([]string, 0, len(t))
		for k := range t {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if v := firstValue(t[k], key, depth+1); v != "" {
				return v
			}
		}
	case []any:
		for _, item := range t {
			if v := firstValue(item, key, depth+1); v != "" {
				return v
			}
		}
	}
	return ""
}

func scalar(v any) string {
	switch t := v.(type) {
	case string:
		if t != "" && len(t) <= 100 && url.PathEscape(t) == t {
			return t
		}
	case float64:
		if t == float64(int64(t)) {
			return fmt.Sprint(int64(t))
		}
	}
	return ""
}

func placeholders(path string) []string {
	var out []string
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(path[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, path[i+1:i+j])
		path = path[i+j+1:]
	}
}

func setExample(ep *inventory.Endpoint, name, v string) {
	for i := range ep.Params {
		if ep.Params[i].Name == name && ep.Params[i].In == "path" {
			ep.Params[i].Example = v
			return
		}
	}
	ep.Params = append(ep.Params, inventory.Param{Name: name, In: "path", Type: "string", Example: v, Required: true})
}
