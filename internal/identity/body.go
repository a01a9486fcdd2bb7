package identity

import (
	"sort"
	"strings"
)

// Body is a JSON login body. Its fields are addressed by dot paths
// ("user.password") so that nested bodies such as {"user": {"email": ...,
// "password": ...}} work as flat ones do.
type Body map[string]any

// Lookup returns the value at a dot path.
func (b Body) Lookup(path string) (any, bool) {
	var v any = map[string]any(b)
	for _, k := range strings.Split(path, ".") {
		m, ok := asMap(v)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

// With returns a deep copy of the body with the value at path set to v.
func (b Body) With(path string, v any) map[string]any {
	out, _ := deepCopy(map[string]any(b)).(map[string]any)
	keys := strings.Split(path, ".")
	m := out
	for _, k := range keys[:len(keys)-1] {
		next, ok := asMap(m[k])
		if !ok {
			next = map[string]any{}
		}
		m[k] = next
		m = next
	}
	m[keys[len(keys)-1]] = v
	return out
}

// Paths lists the dot paths of every leaf, sorted, shallow ones first.
func (b Body) Paths() []string {
	var out []string
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			p := prefix + k
			if sub, ok := asMap(v); ok {
				walk(p+".", sub)
				continue
			}
			out = append(out, p)
		}
	}
	walk("", b)
	sort.Slice(out, func(i, j int) bool {
		di, dj := strings.Count(out[i], "."), strings.Count(out[j], ".")
		if di != dj {
			return di < dj
		}
		return out[i] < out[j]
	})
	return out
}

// Strings lists every string leaf (for redaction).
func (b Body) Strings() []string {
	var out []string
	for _, p := range b.Paths() {
		if v, _ := b.Lookup(p); v != nil {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// asMap accepts both map shapes a YAML or JSON decoder produces.
func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case Body:
		return m, true
	}
	return nil, false
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = deepCopy(x)
		}
		return out
	case Body:
		return deepCopy(map[string]any(t))
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = deepCopy(x)
		}
		return out
	}
	return v
}
