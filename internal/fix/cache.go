package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixCacheKey keys a verified-token cache by the whole token: a cache
// looked up by header.payload (`signed = parts[0] + "." + parts[1]`, with
// `parts = token.split(".")`) answers a token whose signature was never
// checked. The key becomes the token itself, in the lookup and wherever
// the module fills the cache the same way (`head, payload, _ =
// token.split(".")`; `cache[head + "." + payload] = ...`).
func fixCacheKey(s *site) (*attempt, string) {
	for _, call := range s.onLine("call") {
		f := call.ChildByField("function")
		a := positional(call)
		if f == nil || f.Kind != "attribute" || f.ChildByField("attribute").Text() != "get" || len(a) != 1 || a[0].Kind != "identifier" {
			continue
		}
		cache, key := f.ChildByField("object").DottedName(), a[0].Text()
		fn := call.Ancestor("function_definition")
		if cache == "" || fn == nil {
			continue
		}
		var edits []Edit
		fn.Walk(func(n *python.Node) bool {
			if n.Kind == "assignment" && n.ChildByField("left").Text() == key {
				if tok := unsignedKey(fn, n.ChildByField("right")); tok != "" {
					edits = append(edits, Edit{Start: n.ChildByField("right").Start, End: n.ChildByField("right").End, New: tok})
				}
			}
			return true
		})
		if len(edits) != 1 {
			return nil, "the cache key is not built from the token's first two segments in one place"
		}
		for _, as := range s.file.OfKind("assignment") {
			l := as.ChildByField("left")
			if l.Kind != "subscript" || l.ChildByField("value").DottedName() != cache {
				continue
			}
			if owner := as.Ancestor("function_definition"); owner != nil {
				if tok := unsignedKey(owner, l.ChildByField("subscript")); tok != "" {
					k := l.ChildByField("subscript")
					edits = append(edits, Edit{Start: k.Start, End: k.End, New: tok})
				}
			}
		}
		return &attempt{edits: edits, what: cache + " is keyed by the whole token, signature included"}, ""
	}
	return nil, "no cache lookup (CACHE.get(key)) on " + s.f.Location.String()
}

// unsignedKey returns T when expr joins the first two segments of
// T.split(".") with ".", as parts[0] + "." + parts[1] or head + "." +
// payload (head, payload, _ = T.split(".")), in fn.
func unsignedKey(fn *python.Node, expr *python.Node) string {
	t := strings.ReplaceAll(strings.ReplaceAll(expr.Text(), " ", ""), "'", `"`)
	left, right, ok := strings.Cut(t, `+"."+`)
	if !ok {
		return ""
	}
	tok := ""
	fn.Walk(func(n *python.Node) bool {
		if tok != "" || n.Kind != "assignment" {
			return tok == ""
		}
		r := n.ChildByField("right")
		if r.Kind != "call" || !strings.HasSuffix(callName(r), ".split") {
			return true
		}
		if a := positional(r); len(a) != 1 || a[0].Text() != `"."` && a[0].Text() != `'.'` {
			return true
		}
		src := strings.TrimSuffix(callName(r), ".split")
		l := n.ChildByField("left")
		switch l.Kind {
		case "identifier":
			if left == l.Text()+"[0]" && right == l.Text()+"[1]" {
				tok = src
			}
		case "pattern_list", "tuple_pattern":
			names := l.NamedChildren()
			if len(names) >= 2 && left == names[0].Text() && right == names[1].Text() {
				tok = src
			}
		}
		return tok == ""
	})
	return tok
}
