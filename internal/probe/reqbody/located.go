package reqbody

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
)

// inQueryString: a Flask-RESTful reqparse message for an argument it reads
// from the URL only ("Missing required parameter in the query string");
// one it also takes from a body ("in the JSON body or the post body or the
// query string", reqparse's default) stays a body field.
var (
	inQueryString = regexp.MustCompile(`(?i)\bquery ?string\b|\bquery param`)
	inBody        = regexp.MustCompile(`(?i)\bjson\b|\bbody\b|\bform\b`)
)

// located collects the fields a validation document places outside the
// body, with where: pydantic's loc ["query", "key"] (also "path",
// "header", "cookie"), webargs' per-location maps ({"errors": {"query":
// {"key": [...]}}}, "querystring", "headers", "cookies"), a reqparse
// message naming the query string. Learn leaves them out of the body;
// QueryParams returns the query ones.
func located(v any, where map[string]string) {
	switch t := v.(type) {
	case map[string]any:
		if loc, ok := t["loc"].([]any); ok && len(loc) > 1 {
			first, _ := loc[0].(string)
			f, _ := loc[len(loc)-1].(string)
			switch first {
			case "query", "path", "header", "cookie":
				if f != "" {
					where[f] = first
				}
			}
			return
		}
		for k, x := range t {
			sub, isMap := x.(map[string]any)
			in := ""
			switch strings.ToLower(k) {
			case "query", "querystring":
				in = "query"
			case "headers":
				in = "header"
			case "cookies":
				in = "cookie"
			case "view_args", "path":
				in = "path"
			}
			if isMap && in != "" {
				for f := range sub {
					where[f] = in
				}
				continue
			}
			if s, ok := x.(string); ok && inQueryString.MatchString(s) && !inBody.MatchString(s) {
				where[k] = "query"
				continue
			}
			located(x, where)
		}
	case []any:
		for _, x := range t {
			located(x, where)
		}
	}
}

// QueryParams lists the query parameters a validation answer (400/422)
// says are missing or invalid (located), sorted.
func QueryParams(answer []byte) []string {
	var out []string
	for f, in := range NotBody(answer) {
		if in == "query" {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// NotBody lists the fields a validation answer places outside the body
// (the query string, the path, a header or a cookie): a caller learning a
// body from the answer leaves them out.
func NotBody(answer []byte) map[string]string {
	var v any
	if json.Unmarshal(answer, &v) != nil {
		return nil
	}
	where := map[string]string{}
	located(v, where)
	return where
}
