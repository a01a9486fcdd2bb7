package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// ownershipRewrite handles the handlers that never bind the object to a
// name: `if STORE.pop(id, None) is None: refuse` (the object is fetched,
// checked, then deleted) and a direct STORE[id] read (fetched, checked,
// and a missing or foreign one answered 404).
func (s *site) ownershipRewrite(def *python.Node) (*attempt, string) {
	fn := def.ChildByField("definition")
	params := map[string]bool{}
	for _, p := range fn.ChildByField("parameters").NamedChildren() {
		if p.Kind == "identifier" {
			params[p.Text()] = true
		}
	}
	src := s.src()
	var edits []Edit
	var what string
	fn.ChildByField("body").Walk(func(n *python.Node) bool {
		if len(edits) > 0 || n.Kind == "function_definition" && n != fn {
			return false
		}
		switch n.Kind {
		case "if_statement":
			store, id, ok := popIsNone(n.ChildByField("condition"))
			if !ok || n.ChildByField("alternative") != nil {
				return true
			}
			test, why := s.ownerTest(def, store)
			if why != "" {
				what = why
				return false
			}
			obj := objName(fn, store)
			ind := indentOf(src, n.Start)
			cons := n.ChildByField("consequence")
			text := ind + obj + " = " + store + ".get(" + id + ")\n" +
				ind + "if " + obj + " is None or " + strings.ReplaceAll(strings.ReplaceAll(test, "@@OBJ@@", obj), "@@KEY@@", id) + ":\n" +
				reindent(src, cons, ind+"    ") + ind + "del " + store + "[" + id + "]\n"
			edits = []Edit{{Start: lineStart(src, n.Start), End: lineEnd(src, n.End-1), New: text}}
			what = "the " + obj + " is deleted only when the caller owns it (" + strings.ReplaceAll(strings.ReplaceAll(test, "@@OBJ@@", obj), "@@KEY@@", id) + " is refused as a missing one)"
			return false
		case "subscript":
			v, k := n.ChildByField("value"), n.ChildByField("subscript")
			if v == nil || k == nil || v.DottedName() == "" || k.Kind != "identifier" || !params[k.Text()] {
				return true
			}
			if p := n.Parent; p != nil && (p.Kind == "assignment" && p.ChildByField("left") == n || p.Kind == "delete_statement") {
				return true
			}
			store := v.DottedName()
			test, why := s.ownerTest(def, store)
			if why != "" {
				what = why
				return false
			}
			obj := objName(fn, store)
			id := k.Text()
			st := statementOf(n)
			ind := indentOf(src, st.Start)
			at := lineStart(src, st.Start)
			edits = []Edit{
				{Start: at, End: at, New: ind + obj + " = " + store + ".get(" + k.Text() + ")\n" +
					ind + "if " + obj + " is None or " + strings.ReplaceAll(strings.ReplaceAll(test, "@@OBJ@@", obj), "@@KEY@@", id) + ":\n" + ind + "    abort(404)\n"},
				{Start: n.Start, End: n.End, New: obj},
			}
			if !importsName(s.file, "flask", "abort") {
				p := importPos(s.file)
				edits = append(edits, Edit{Start: p, End: p, New: "from flask import abort\n"})
			}
			what = "an object the caller does not own is answered 404, as a missing one (" + strings.ReplaceAll(strings.ReplaceAll(test, "@@OBJ@@", obj), "@@KEY@@", id) + ")"
			return false
		}
		return true
	})
	if len(edits) == 0 {
		if what == "" {
			what = "the handler does not fetch its object with STORE.get(id) into a name, pop it, or read STORE[id]; the owner check needs a person"
		}
		return nil, what
	}
	return &attempt{edits: edits, what: what}, ""
}

// ownerTest is the one ownership test the code makes on store's objects.
func (s *site) ownerTest(def *python.Node, store string) (string, string) {
	tests := ownerTests(s.file, store, authDecorators(def))
	test := one(tests)
	switch {
	case len(tests) == 0:
		return "", "no other route with the same auth shows how " + store + "'s objects are matched to the caller (an owner field compared with the identity)"
	case test == "":
		return "", "the code matches " + store + "'s objects to the caller in more than one way"
	}
	return test, ""
}

// popIsNone matches `STORE.pop(ID, None) is None`.
func popIsNone(cond *python.Node) (string, string, bool) {
	if cond == nil || cond.Kind != "comparison_operator" || !strings.HasSuffix(strings.TrimSpace(cond.Text()), " is None") {
		return "", "", false
	}
	call := cond.NamedChildren()[0]
	if call.Kind != "call" {
		return "", "", false
	}
	f := call.ChildByField("function")
	a := positional(call)
	if f == nil || f.Kind != "attribute" || f.ChildByField("attribute").Text() != "pop" || len(a) != 2 || a[1].Kind != "none" || a[0].Kind != "identifier" {
		return "", "", false
	}
	return f.ChildByField("object").DottedName(), a[0].Text(), f.ChildByField("object").DottedName() != ""
}

// objName names the fetched object after its store (NOTES: note), unless
// the handler already uses that name.
func objName(fn *python.Node, store string) string {
	base := strings.ToLower(store[strings.LastIndexByte(store, '.')+1:])
	base = strings.TrimSuffix(base, "s")
	if base == "" || !isIdent(base) {
		base = "obj"
	}
	used := false
	fn.Walk(func(n *python.Node) bool {
		if n.Kind == "identifier" && n.Text() == base {
			used = true
		}
		return !used
	})
	if used {
		return "owned_" + base
	}
	return base
}
