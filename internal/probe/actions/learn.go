package actions

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// learnFields reads a 400/422 answer for the body fields it says are
// missing ({"errors": {"customer_id": "required"}}, {"message": {...}},
// pydantic's {"detail": [{"loc": [..., "field"]}]}) and returns them in
// order; the write is sent again with them. Values are filled by
// fill (owned ids) or get a neutral 1.
func learnFields(answer []byte) []string {
	var v any
	if json.Unmarshal(answer, &v) != nil {
		return nil
	}
	seen := map[string]bool{}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 4 {
			return
		}
		switch t := v.(type) {
		case map[string]any:
			if loc, ok := t["loc"].([]any); ok && len(loc) > 0 {
				if s, ok := loc[len(loc)-1].(string); ok {
					seen[s] = true
				}
			}
			for k, x := range t {
				switch strings.ToLower(k) {
				case "errors", "message", "detail", "json", "fields", "error":
					walk(x, depth+1)
					continue
				}
				if metaKeys[strings.ToLower(k)] {
					continue
				}
				if s, ok := x.(string); ok && complaint(s) {
					seen[k] = true
				}
				if l, ok := x.([]any); ok && len(l) > 0 {
					if s, ok := l[0].(string); ok && complaint(s) {
						seen[k] = true
					}
				}
			}
		case []any:
			for _, x := range t {
				walk(x, depth+1)
			}
		}
	}
	walk(v, 0)
	// A field the answer places in the query string, the path or a
	// header is not the body's.
	for k := range reqbody.NotBody(answer) {
		delete(seen, k)
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func complaint(s string) bool {
	l := strings.ToLower(s)
	for _, w := range []string{"required", "missing", "must", "invalid", "expected", "blank", "empty", "not a valid"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// metaKeys describe an error, they never name a body field.
var metaKeys = map[string]bool{"msg": true, "type": true, "loc": true, "code": true, "status": true,
	"success": true, "ctx": true, "input": true, "url": true, "description": true}
