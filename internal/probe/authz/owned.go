package authz

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// ownedIDs lists, per reader, the ids of objects that are the reader's,
// best evidence first:
//   - values named like the parameter, in objects of any answer (to anyone,
//     anonymous included) whose owner field holds one of the reader's own
//     values (its token's sub, its login name, the id its profile gives),
//     or among those own values;
//   - the other id fields of such objects;
//   - ids that only the reader's own list answers contain;
//   - the other values the reader is known by, and the remaining short
//     fields of its objects (a title can be the key).
//
// An id many identities see is still tried: ownership comes from the
// owner field, not from exclusivity. A value another reader is known by
// as the parameter itself (its user id on /users/{user_id}) is never
// listed as someone else's.
func ownedIDs(p *probe.Pass, ip idParam, readers []reader, selves []*principal.Self) map[string][]string {
	isReader := map[string]bool{}
	for _, rd := range readers {
		isReader[rd.name] = true
	}
	pn := principal.Norm(ip.param.Name)
	// tiers[owner][0..3]: named like the parameter, id fields, exclusive, rest.
	tiers := map[string]*[4][]string{}
	put := func(owner string, tier int, v string) {
		if tiers[owner] == nil {
			tiers[owner] = &[4][]string{}
		}
		tiers[owner][tier] = append(tiers[owner][tier], v)
	}
	for _, ep := range p.Endpoints() {
		if ep.Method != http.MethodGet || strings.Contains(ep.Path, "{") {
			continue
		}
		for _, c := range p.Matrix(ep) {
			if c.Outcome == nil || c.Outcome.Sample == nil || c.Outcome.Sample.Status/100 != 2 {
				continue
			}
			for _, o := range principal.Objects(c.Outcome.Sample.Body) {
				s := principal.Whose(o, selves)
				if s == nil || !isReader[s.Name] {
					continue
				}
				for _, v := range o.IDs(ip.param.Name) {
					switch k := keyOf(o, v); {
					case k == pn:
						put(s.Name, 0, v)
					case k == "id" || strings.HasSuffix(k, "id"):
						put(s.Name, 1, v)
					default:
						put(s.Name, 3, v)
					}
				}
			}
		}
	}
	for owner, ids := range exclusiveIDs(p, ip, readers) {
		for _, id := range ids {
			put(owner, 2, id)
		}
	}
	for _, s := range selves {
		if !isReader[s.Name] {
			continue
		}
		for _, v := range s.IDs() {
			if principal.Fills(pn, s.Key(v)) {
				put(s.Name, 0, v)
			} else {
				put(s.Name, 3, v)
			}
		}
	}
	// A value another reader is known by as this very parameter (its
	// token's sub on /users/{user_id}) is that reader's, whatever list of
	// someone else's showed it: reading it is reading its own record.
	theirs := principalsNamed(pn, selves, isReader)
	out := map[string][]string{}
	for owner, t := range tiers {
		seen := map[string]bool{}
		for _, tier := range t {
			for _, v := range tier {
				if who, ok := theirs[strings.ToLower(v)]; ok && who != owner {
					continue
				}
				if v != "" && !seen[v] && safeValue.MatchString(v) {
					seen[v] = true
					out[owner] = append(out[owner], v)
				}
			}
		}
	}
	return out
}

// principalsNamed maps each value a reader is known by as the parameter
// pn (principal.Fills) to that reader; a value two readers share is
// left out (it says nothing of whose it is).
func principalsNamed(pn string, selves []*principal.Self, isReader map[string]bool) map[string]string {
	out := map[string]string{}
	shared := map[string]bool{}
	for _, s := range selves {
		if !isReader[s.Name] {
			continue
		}
		for _, v := range s.IDs() {
			if !principal.Fills(pn, s.Key(v)) {
				continue
			}
			if who, ok := out[v]; ok && who != s.Name {
				shared[v] = true
			}
			out[v] = s.Name
		}
	}
	for v := range shared {
		delete(out, v)
	}
	return out
}

// keyOf is the normalized name of the field of o holding v.
func keyOf(o principal.Object, v string) string {
	for k, x := range o.Fields {
		if s, ok := scalarString(x); ok && s == v {
			return principal.Norm(k)
		}
	}
	return ""
}

// scalarString renders a JSON string or integer.
func scalarString(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case float64:
		if t == float64(int64(t)) {
			return strconv.FormatInt(int64(t), 10), true
		}
	}
	return "", false
}
