package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixCollection filters a list view by its caller
// (authz.collection-exposure): `list(STORE.values())`, or a comprehension
// over STORE.values() without a condition, keeps only the objects the
// caller owns, with the ownership test the code already makes on the same
// store in a route with the same auth (as fixOwnership: an owner field
// compared with the identity, an ownership predicate, the owner field a
// create handler stores). Any other shape of list, or a store the code
// never matches to its caller, is listed with the reason.
func fixCollection(s *site) (*attempt, string) {
	def := s.viewAt()
	if def == nil {
		def = s.routeDef()
	}
	if def == nil {
		return nil, "no route function for " + s.where()
	}
	var edits []Edit
	why := ""
	def.ChildByField("definition").ChildByField("body").Walk(func(n *python.Node) bool {
		if n.Kind == "function_definition" || n.Kind == "lambda" || why != "" {
			return false
		}
		store, target := listedStore(n)
		if store == "" {
			return true
		}
		tests := ownerTests(s.file, store, authDecorators(def))
		test := one(tests)
		switch {
		case len(tests) == 0:
			why = "no other route with the same auth shows how " + store + "'s objects are matched to the caller (an owner field compared with the identity)"
		case test == "":
			why = "the code matches " + store + "'s objects to the caller in more than one way"
		case strings.Contains(test, "@@KEY@@"):
			why = store + " is keyed by the caller; a list of it needs a person"
		}
		if why != "" {
			return false
		}
		keep := owned(test)
		switch n.Kind {
		case "call": // list(STORE.values())
			keep = strings.ReplaceAll(keep, "@@OBJ@@", "obj")
			edits = append(edits, Edit{Start: n.Start, End: n.End, New: "[obj for obj in " + target.Text() + " if " + keep + "]"})
		default: // [x for x in STORE.values()]
			keep = strings.ReplaceAll(keep, "@@OBJ@@", comprehensionVar(n))
			edits = append(edits, Edit{Start: target.End, End: target.End, New: " if " + keep})
		}
		return false
	})
	if why != "" {
		return nil, why
	}
	if len(edits) == 0 {
		return nil, "the view does not list a store as list(STORE.values()) or an unfiltered comprehension over it; filtering it needs a person"
	}
	return &attempt{edits: edits, what: "the list keeps only the objects the caller owns, by the owner check the code makes elsewhere"}, ""
}

// listedStore recognises `list(STORE.values())` (returning STORE and the
// STORE.values() call) and a list comprehension over STORE.values() with
// no condition and a plain loop variable (returning STORE and the
// for_in_clause).
func listedStore(n *python.Node) (string, *python.Node) {
	switch n.Kind {
	case "call":
		if callName(n) != "list" || len(args(n)) != 1 {
			return "", nil
		}
		if st := valuesOf(args(n)[0]); st != "" {
			return st, args(n)[0]
		}
	case "list_comprehension":
		var clause *python.Node
		for _, c := range n.NamedChildren() {
			switch c.Kind {
			case "if_clause":
				return "", nil
			case "for_in_clause":
				if clause != nil {
					return "", nil
				}
				clause = c
			}
		}
		if clause == nil || clause.ChildByField("left").Kind != "identifier" {
			return "", nil
		}
		if st := valuesOf(clause.ChildByField("right")); st != "" {
			return st, clause
		}
	}
	return "", nil
}

// valuesOf returns STORE for STORE.values(), else "".
func valuesOf(n *python.Node) string {
	if n == nil || n.Kind != "call" || len(args(n)) != 0 {
		return ""
	}
	f := n.ChildByField("function")
	if f == nil || f.Kind != "attribute" || f.ChildByField("attribute").Text() != "values" {
		return ""
	}
	return f.ChildByField("object").DottedName()
}

// comprehensionVar is the loop variable of a list comprehension.
func comprehensionVar(n *python.Node) string {
	for _, c := range n.NamedChildren() {
		if c.Kind == "for_in_clause" {
			return c.ChildByField("left").Text()
		}
	}
	return ""
}

// owned turns the negated ownership test (`@@OBJ@@["f"] != ID`,
// `not P(@@OBJ@@)`) into the test that the object is the caller's.
func owned(test string) string {
	if rest, ok := strings.CutPrefix(test, "not "); ok {
		return rest
	}
	if a, b, ok := strings.Cut(test, " != "); ok && !strings.Contains(b, " != ") {
		return a + " == " + b
	}
	return "not (" + test + ")"
}
