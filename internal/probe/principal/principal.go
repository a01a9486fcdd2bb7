// Package principal is the scan's model of who is who, learnt from what the
// API says rather than assumed: each identity's own values (what its login
// body, its token's claims, its login answer and its own profile answers say
// it is), the owner fields of the objects in answers matched against those
// values, and the ids of those objects. Field names are hints that choose
// where to look; a match of values decides.
package principal

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/probe"
)

// Self is what one identity is according to the API.
type Self struct {
	Name  string
	Admin bool
	// values maps a lower-cased value to where it was first learnt, keys
	// to every field name it was learnt under.
	values map[string]string
	keys   map[string][]string
}

// NewSelf returns an empty self for an identity name.
func NewSelf(name string) *Self { return &Self{Name: name, values: map[string]string{}} }

// Add records a value (string or number) the identity is known by. Values
// too short to tell anyone apart are ignored.
func (s *Self) Add(v any, from string) {
	str, ok := scalar(v)
	if !ok || len(str) < 1 || len(str) > 200 {
		return
	}
	k := strings.ToLower(str)
	if _, seen := s.values[k]; !seen {
		s.values[k] = from
	}
	if s.keys == nil {
		s.keys = map[string][]string{}
	}
	n := Norm(from[strings.LastIndexAny(from, " .")+1:])
	for _, have := range s.keys[k] {
		if have == n {
			return
		}
	}
	s.keys[k] = append(s.keys[k], n)
}

// Has reports whether v is one of the identity's values.
func (s *Self) Has(v any) bool {
	str, ok := scalar(v)
	if !ok {
		return false
	}
	_, ok = s.values[strings.ToLower(str)]
	return ok
}

// Values lists the identity's values, sorted.
func (s *Self) Values() []string {
	out := make([]string, 0, len(s.values))
	for v := range s.values {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// Key returns the field name a value was learnt from ("user_id" for
// "token claim user_id"), normalized.
func (s *Self) Key(v string) string {
	from := s.values[strings.ToLower(v)]
	return Norm(from[strings.LastIndexAny(from, " .")+1:])
}

// IDs lists the values that look like object ids (numbers, UUIDs, handles
// without spaces), for trying as path parameters.
func (s *Self) IDs() []string {
	var out []string
	for _, v := range s.Values() {
		if !strings.ContainsAny(v, " @/") && len(v) <= 64 {
			out = append(out, v)
		}
	}
	return out
}

// scalar renders a JSON string or integer as a string.
func scalar(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t), strings.TrimSpace(t) != ""
	case float64:
		if t != float64(int64(t)) {
			return "", false
		}
		return strconv.FormatInt(int64(t), 10), true
	case int:
		return strconv.Itoa(t), true
	case int64:
		return strconv.FormatInt(t, 10), true
	case json.Number:
		return t.String(), true
	}
	return "", false
}

// Norm lowers a field name and drops separators (probe.Norm): user_id,
// userId and user-id are all "userid".
func Norm(k string) string { return probe.Norm(k) }

// walk calls f on every JSON object in v, depth-first, to a bounded depth.
func walk(v any, depth int, f func(map[string]any)) {
	if depth > 10 {
		return
	}
	switch t := v.(type) {
	case map[string]any:
		f(t)
		for _, k := range sortedKeys(t) {
			walk(t[k], depth+1, f)
		}
	case []any:
		for _, x := range t {
			walk(x, depth+1, f)
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
