package writes

import (
	"strings"

	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// withoutPrivileges is a body the code declares without the privileged
// fields it reads (a handler's data.get("is_admin")): the plain object
// carries none; the mass-assignment probe adds them on purpose.
func withoutPrivileges(b map[string]any) map[string]any {
	out := clone(b)
	p := reqbody.Payload(out)
	if env := reqbody.Envelope(out); env != "" {
		p = clone(p)
		out[env] = p
	}
	for k := range p {
		if _, priv := privileged[strings.ToLower(k)]; priv {
			delete(p, k)
		}
	}
	return out
}

// itemOf: item is collection + "/{param}", or the same under the
// collection's name in the singular (/api/users → /api/user/{id}).
func itemOf(collection, item string) bool {
	collection = strings.TrimRight(collection, "/")
	isParam := func(rest string) bool {
		return strings.HasPrefix(rest, "{") && strings.HasSuffix(rest, "}") && !strings.Contains(rest, "/")
	}
	if rest, ok := strings.CutPrefix(item, collection+"/"); ok && isParam(rest) {
		return true
	}
	i := strings.LastIndex(collection, "/")
	one := reqbody.Singular(collection[i+1:])
	if one == "" {
		return false
	}
	rest, ok := strings.CutPrefix(item, collection[:i+1]+one+"/")
	return ok && isParam(rest)
}

// underItem is the part of path after an item path it hangs under
// ("points/" of /routes/{route_id}/points/ under /routes/{uid}): the
// item's segments must match, a placeholder matching a placeholder of
// any name (Flask views name the same parameter as they like).
func underItem(path, item string) (string, bool) {
	ps, is := strings.Split(path, "/"), strings.Split(item, "/")
	if len(ps) <= len(is) {
		return "", false
	}
	for i, seg := range is {
		if seg == ps[i] || isPlaceholder(seg) && isPlaceholder(ps[i]) {
			continue
		}
		return "", false
	}
	return strings.Join(ps[len(is):], "/"), true
}

func isPlaceholder(seg string) bool {
	return len(seg) > 2 && strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}")
}
