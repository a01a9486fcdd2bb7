package oracle

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Volatile values are pruned before bodies are compared, so that two answers
// to the same request that differ only in a timestamp, id or nonce look alike.
var volatile = []*regexp.Regexp{
	regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*`),                      // JWTs
	regexp.MustCompile(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`),       // UUIDs
	regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?`), // ISO times
	regexp.MustCompile(`(?i)\b(mon|tue|wed|thu|fri|sat|sun), \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \w+`),
	regexp.MustCompile(`(?i)\b[0-9a-f]{16,}\b`),      // hex ids, hashes
	regexp.MustCompile(`[A-Za-z0-9+/_-]{32,}={0,2}`), // base64 nonces
	regexp.MustCompile(`\d+(\.\d+)?`),                // numbers
}

// Shape is a body reduced to a set of normalised tokens (JSON: paths and
// path=value pairs; text: words, counted).
type Shape map[string]int

// shapeBytes is how much of a body its shape is computed from.
const shapeBytes = 64 << 10

// maxShape bounds the distinct tokens of one shape: a huge or random body
// must not make a huge digest.
const maxShape = 4096

// add counts a token unless the shape is full.
func (s Shape) add(k string) {
	if _, ok := s[k]; ok || len(s) < maxShape {
		s[k]++
	}
}

func (s Shape) set(k string) {
	if _, ok := s[k]; ok || len(s) < maxShape {
		s[k] = 1
	}
}

// ShapeOf reduces a response body: JSON by structure and normalised scalar
// values, anything else by normalised words.
func ShapeOf(body []byte) Shape {
	if len(body) > shapeBytes {
		// The shape of a huge body is the shape of its start: comparing
		// megabytes per probe costs seconds and tells nothing more.
		body = body[:shapeBytes]
	}
	s := Shape{}
	var v any
	if len(body) > 0 && json.Unmarshal(body, &v) == nil {
		walkJSON(s, "$", v, 0)
		return s
	}
	text := prune(string(body))
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '<' || r == '>' || r == '"' || r == '='
	}) {
		if len(w) > 40 {
			w = w[:40]
		}
		s.add(w)
	}
	return s
}

func prune(s string) string {
	for _, re := range volatile {
		s = re.ReplaceAllString(s, "#")
	}
	return s
}

func walkJSON(s Shape, path string, v any, depth int) {
	if depth > 12 {
		return
	}
	switch t := v.(type) {
	case map[string]any:
		s.set(path + "{}")
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkJSON(s, path+"."+k, t[k], depth+1)
		}
	case []any:
		s.set(path + "[]")
		// Items are folded into one path: a list of 3 and a list of 5
		// orders have the same shape.
		for i, item := range t {
			if i >= 20 {
				break
			}
			walkJSON(s, path+"[]", item, depth+1)
		}
	case string:
		s.set(path)
		if len(t) > 48 {
			s.set(path + "=str")
		} else {
			s.set(path + "=" + prune(t))
		}
	case float64:
		s.set(path)
		s.set(path + "=#")
	case bool:
		s.set(path)
		s.set(fmt.Sprintf("%s=%v", path, t))
	case nil:
		s.set(path + "=null")
	}
}

// Similarity is the weighted Jaccard index of two shapes, in [0, 1]; two
// empty bodies are identical.
func Similarity(a, b Shape) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	var inter, union int
	for k, x := range a {
		y := b[k]
		inter += min(x, y)
		union += max(x, y)
	}
	for k, y := range b {
		if _, ok := a[k]; !ok {
			union += y
		}
	}
	if union == 0 {
		return 1
	}
	return float64(inter) / float64(union)
}
