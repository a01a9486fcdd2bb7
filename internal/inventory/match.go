package inventory

import (
	"net/url"
	"strings"
)

// MatchPath reports whether a concrete path (/shop/v1/101/login) is an
// instance of a template (/shop/v1/{user_id}/login) and returns the values
// of its placeholders. A placeholder matches one non-empty segment;
// literal segments must be equal.
func MatchPath(template, path string) (map[string]string, bool) {
	ts := strings.Split(strings.Trim(template, "/"), "/")
	ps := strings.Split(strings.Trim(path, "/"), "/")
	vals := map[string]string{}
	for i, t := range ts {
		if i >= len(ps) {
			return nil, false
		}
		name, isParam := placeholderName(t)
		switch {
		case !isParam:
			if t != ps[i] {
				return nil, false
			}
		case ps[i] == "":
			return nil, false
		default:
			v, err := url.PathUnescape(ps[i])
			if err != nil {
				v = ps[i]
			}
			vals[name] = v
		}
	}
	if len(ps) != len(ts) {
		return nil, false
	}
	return vals, true
}

// placeholderName returns the name of a whole-segment placeholder ({id}).
func placeholderName(seg string) (string, bool) {
	if len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}' && !strings.ContainsAny(seg[1:len(seg)-1], "{}") {
		return seg[1 : len(seg)-1], true
	}
	return "", false
}

// Instance returns the endpoint of eps with the given method whose template
// the concrete path is an instance of, with its placeholder values: a
// literal route first (/users/me before /users/{id}), else the template with
// the fewest placeholders. Nil when none matches.
func Instance(eps []Endpoint, method, path string) (*Endpoint, map[string]string) {
	var best *Endpoint
	var bestVals map[string]string
	for i := range eps {
		ep := &eps[i]
		if !strings.EqualFold(ep.Method, method) {
			continue
		}
		vals, ok := MatchPath(ep.Path, path)
		if !ok {
			continue
		}
		if best == nil || len(vals) < len(bestVals) {
			best, bestVals = ep, vals
		}
	}
	return best, bestVals
}
