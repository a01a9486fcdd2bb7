package reqbody

import (
	"encoding/json"
	"sort"
)

// Named returns the fields a validation answer (400/422) names, as Learn
// reads them, less the keys of the error document itself (error, message,
// detail, ...): what a caller should fix before the request is judged.
func Named(answer []byte) []string {
	var v any
	if json.Unmarshal(answer, &v) != nil {
		return nil
	}
	named := map[string]string{}
	walkErrors(v, "", named)
	var out []string
	for f := range named {
		switch f {
		case "", "json", "errors", "error", "message", "detail", "msg", "body", "query", "header", "form":
			continue
		}
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}
