package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixLeak takes the sensitive fields the scan saw in an answer (the
// finding's Fields: password hashes, other users' tokens) out of what the
// view builds for it: a `name=...` argument of dict(...) or jsonify(...),
// or a `"name": ...` entry of a dictionary literal, in the view's own body.
// A field the view does not build itself (it comes from a helper or from
// the stored record as a whole) leaves the finding unpatched: which data
// the answer may carry is then a decision about the application.
func fixLeak(s *site) (*attempt, string) {
	fields := s.f.Fields
	if len(fields) == 0 {
		return nil, "the finding does not name the fields the answer leaked"
	}
	def := s.viewAt()
	if def == nil {
		def = s.routeDef()
	}
	if def == nil {
		return nil, "no route function for " + s.where()
	}
	src := s.src()
	var edits []Edit
	done := map[string]bool{}
	def.ChildByField("definition").ChildByField("body").Walk(func(n *python.Node) bool {
		if n.Kind == "function_definition" || n.Kind == "lambda" {
			return false
		}
		var items []*python.Node
		switch {
		case n.Kind == "dictionary":
			items = n.NamedChildren()
		case n.Kind == "call" && (callName(n) == "dict" || callName(n) == "jsonify"):
			items = args(n)
		default:
			return true
		}
		for i, it := range items {
			if k := entryName(it); contains(fields, k) {
				edits = append(edits, removeFromList(src, items, i))
				done[k] = true
			}
		}
		return true
	})
	for i, a := range edits {
		for _, b := range edits[i+1:] {
			if a.overlaps(b) {
				return nil, "the leaked fields are neighbours in one list; removing them needs a person"
			}
		}
	}
	var missing []string
	for _, f := range fields {
		if !done[f] {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, "the view does not build " + strings.Join(missing, ", ") + " itself (a helper or the stored record carries it); which data the answer may carry needs a person"
	}
	return &attempt{edits: edits, what: strings.Join(fields, ", ") + " no longer in the answer"}, ""
}

// entryName is the name a dictionary entry or keyword argument gives its
// value ("" for anything else, a ** splat included).
func entryName(n *python.Node) string {
	switch n.Kind {
	case "keyword_argument":
		return n.ChildByField("name").Text()
	case "pair":
		if k, ok := n.ChildByField("key").StringValue(); ok {
			return k
		}
	}
	return ""
}
