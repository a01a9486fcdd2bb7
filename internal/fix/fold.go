package fix

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// folding are the string methods that make an altered key match.
var folding = map[string]bool{"lower": true, "upper": true, "casefold": true, "strip": true, "lstrip": true, "rstrip": true}

// fixFolding stops matching an altered key: the case folding and trimming
// applied to the key read on the cause line go, and so does the same
// folding of the known keys in a comprehension of the same function
// (`{k.lower() for k in KEYS}` becomes `{k for k in KEYS}`).
func fixFolding(s *site) (*attempt, string) {
	for _, call := range s.onLine("call") {
		if call.Line != s.line || !foldCall(call) || (call.Parent != nil && call.Parent.Kind == "attribute") {
			continue // the outermost fold of the chain
		}
		inner := call
		used := map[string]bool{}
		for foldCall(inner) {
			fn := inner.ChildByField("function")
			used[fn.ChildByField("attribute").Text()] = true
			inner = fn.ChildByField("object")
		}
		edits := []Edit{{Start: call.Start, End: call.End, New: inner.Text()}}
		if fn := call.Ancestor("function_definition"); fn != nil {
			fn.Walk(func(n *python.Node) bool {
				if n.Kind != "set_comprehension" && n.Kind != "list_comprehension" {
					return true
				}
				body := n.ChildByField("body")
				if body != nil && foldCall(body) {
					m := body.ChildByField("function").ChildByField("attribute").Text()
					if used[m] {
						obj := body.ChildByField("function").ChildByField("object")
						edits = append(edits, Edit{Start: body.Start, End: body.End, New: obj.Text()})
					}
				}
				return false
			})
		}
		return &attempt{edits: edits, what: "keys compared as sent, without case folding or trimming"}, ""
	}
	return nil, "no case folding or trimming of the key on " + s.f.Location.String()
}

// foldCall reports whether n is X.lower() (or another folding method) with
// no arguments.
func foldCall(n *python.Node) bool {
	if n == nil || n.Kind != "call" || len(args(n)) != 0 {
		return false
	}
	fn := n.ChildByField("function")
	return fn != nil && fn.Kind == "attribute" && folding[fn.ChildByField("attribute").Text()]
}
