package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixOwnership adds the owner check a handler lacks (authz.bola,
// authz.bola-write): the handler fetches an object (`x = STORE.get(id)`)
// and refuses a missing one (`if x is None: return ...`); the refusal
// is widened to an object the caller does not own, with the ownership
// test the code already makes on the same store elsewhere — a comparison
// of the object's owner field with the caller's identity
// (`o["user_id"] == g.claims["user_id"]`), an ownership predicate
// (`mine(o)`), or the owner field a create handler stores
// (`{"owner": get_jwt_identity(), ...}`) — from a route with the same
// auth, so the identity expression means the same thing there.
func fixOwnership(s *site) (*attempt, string) {
	def := s.routeDef()
	if def == nil && s.f.Endpoint != nil {
		def = routeFor(s.file, s.f.Endpoint.Method, s.f.Endpoint.Path)
	}
	if def == nil {
		return nil, "no route function at " + s.f.Location.String()
	}
	fn := def.ChildByField("definition")
	obj, store := fetched(fn)
	if obj == "" {
		return s.ownershipRewrite(def)
	}
	guard := noneGuard(fn, obj)
	if guard == nil {
		return nil, "the handler does not refuse a missing " + obj + " (if " + obj + " is None: ...); the owner check needs a person"
	}
	tests := ownerTests(s.file, store, authDecorators(def))
	test := one(tests)
	switch {
	case len(tests) == 0:
		return nil, "no other route with the same auth shows how " + store + "'s objects are matched to the caller (an owner field compared with the identity)"
	case test == "":
		return nil, "the code matches " + store + "'s objects to the caller in more than one way"
	}
	test = strings.ReplaceAll(test, "@@OBJ@@", obj)
	cond := guard.ChildByField("condition")
	text := cond.Text()
	if cond.Kind == "boolean_operator" && strings.Contains(text, " and ") {
		text = "(" + text + ")"
	}
	return &attempt{edits: []Edit{{Start: cond.Start, End: cond.End, New: text + " or " + test}},
		what: "a " + obj + " the caller does not own is refused as a missing one (" + test + ")"}, ""
}

// fetched returns the first name a handler binds to STORE.get(...) or
// STORE[...], and the store.
func fetched(fn *python.Node) (string, string) {
	var obj, store string
	fn.ChildByField("body").Walk(func(n *python.Node) bool {
		if obj != "" {
			return false
		}
		if n.Kind == "function_definition" || n.Kind == "lambda" {
			return false
		}
		if n.Kind == "assignment" {
			left, right := n.ChildByField("left"), n.ChildByField("right")
			if left != nil && right != nil && left.Kind == "identifier" {
				if st := storeOf(right); st != "" {
					obj, store = left.Text(), st
				}
			}
		}
		return true
	})
	return obj, store
}

// storeOf returns STORE for STORE.get(...) or STORE[...] (STORE a name or
// a dotted name), else "".
func storeOf(n *python.Node) string {
	switch n.Kind {
	case "call":
		f := n.ChildByField("function")
		if f != nil && f.Kind == "attribute" && f.ChildByField("attribute").Text() == "get" {
			if o := f.ChildByField("object"); o != nil && o.DottedName() != "" {
				return o.DottedName()
			}
		}
	case "subscript":
		if v := n.ChildByField("value"); v != nil && v.DottedName() != "" {
			return v.DottedName()
		}
	}
	return ""
}

// noneGuard returns the if statement refusing a missing obj: its
// condition is `obj is None`, `not obj`, or an `or` holding one of them,
// and its body returns or aborts.
func noneGuard(fn *python.Node, obj string) *python.Node {
	var found *python.Node
	fn.ChildByField("body").Walk(func(n *python.Node) bool {
		if found != nil || n.Kind == "function_definition" {
			return false
		}
		if n.Kind != "if_statement" {
			return true
		}
		cond := n.ChildByField("condition")
		for _, part := range orParts(cond) {
			t := strings.Join(strings.Fields(part.Text()), " ")
			if t == obj+" is None" || t == "not "+obj {
				body := n.ChildByField("consequence").Text()
				if strings.Contains(body, "return") || strings.Contains(body, "abort(") || strings.Contains(body, "raise") {
					found = n
				}
			}
		}
		return true
	})
	return found
}

// orParts splits a condition at its top-level `or`s.
func orParts(n *python.Node) []*python.Node {
	n = n.Unparen()
	if n.Kind == "boolean_operator" {
		if op := n.ChildByField("operator"); op != nil && op.Text() == "or" || strings.Contains(n.Text(), " or ") && !strings.Contains(n.Text(), " and ") {
			var out []*python.Node
			for _, c := range n.NamedChildren() {
				out = append(out, orParts(c)...)
			}
			return out
		}
	}
	return []*python.Node{n}
}

// ownerTests collects, over the routes sharing an auth decorator with the
// handler, the negated ownership tests the code makes on store's objects,
// with @@OBJ@@ in place of the object.
func ownerTests(f *python.File, store string, auth []string) map[string]bool {
	out := map[string]bool{}
	for _, def := range f.OfKind("decorated_definition") {
		if !isRoute(def) || !sharesAny(authDecorators(def), auth) {
			continue
		}
		fn := def.ChildByField("definition")
		bound := storeItems(fn, store)
		if len(bound) == 0 {
			continue
		}
		locals := localValues(fn)
		fn.Walk(func(n *python.Node) bool {
			switch n.Kind {
			case "comparison_operator":
				if t := ownerCompare(f.Src, n, bound, locals); t != "" {
					out[t] = true
				}
			case "call":
				if t := ownerPredicate(f, n, bound); t != "" {
					out[t] = true
				}
			case "dictionary":
				if t := ownerField(n, bound, locals); t != "" {
					out[t] = true
				}
			}
			return true
		})
	}
	return out
}

func sharesAny(a, b []string) bool {
	for _, x := range a {
		if contains(b, x) {
			return true
		}
	}
	return false
}

// storeItems returns the names a function binds to store's objects: the
// variable of a comprehension over store.values(), a name assigned
// store.get(...) or store[...], and a dictionary later stored into store.
func storeItems(fn *python.Node, store string) map[string]bool {
	out := map[string]bool{}
	dicts := map[string]bool{}
	fn.Walk(func(n *python.Node) bool {
		switch n.Kind {
		case "for_in_clause":
			r := n.ChildByField("right")
			if l := n.ChildByField("left"); l != nil && l.Kind == "identifier" && r != nil && r.Kind == "call" {
				if fa := r.ChildByField("function"); fa != nil && fa.Kind == "attribute" && fa.ChildByField("attribute").Text() == "values" &&
					fa.ChildByField("object").DottedName() == store {
					out[l.Text()] = true
				}
			}
		case "assignment":
			l, r := n.ChildByField("left"), n.ChildByField("right")
			if l == nil || r == nil {
				return true
			}
			if l.Kind == "identifier" && storeOf(r) == store {
				out[l.Text()] = true
			}
			if l.Kind == "identifier" && r.Kind == "dictionary" {
				dicts[l.Text()] = true
			}
			if l.Kind == "subscript" && l.ChildByField("value").DottedName() == store {
				if r.Kind == "identifier" && dicts[r.Text()] {
					out[r.Text()] = true
				}
				if r.Kind == "dictionary" {
					out["@@stored@@"+itoa(r.Start)] = true
				}
			}
		}
		return true
	})
	return out
}

// localValues maps a function's names assigned once to the expression.
func localValues(fn *python.Node) map[string]*python.Node {
	out := map[string]*python.Node{}
	seen := map[string]int{}
	fn.Walk(func(n *python.Node) bool {
		if n.Kind == "assignment" {
			if l := n.ChildByField("left"); l != nil && l.Kind == "identifier" {
				seen[l.Text()]++
				out[l.Text()] = n.ChildByField("right")
			}
		}
		return true
	})
	for k, c := range seen {
		if c != 1 {
			delete(out, k)
		}
	}
	return out
}

// identityExpr returns the caller's identity an expression stands for,
// following a local name once: an attribute or subscript chain on g,
// current_user or session, or a call without arguments
// (get_jwt_identity()); "" for anything else (a request field).
func identityExpr(n *python.Node, locals map[string]*python.Node) string {
	if n == nil {
		return ""
	}
	if n.Kind == "identifier" {
		if v, ok := locals[n.Text()]; ok && v != nil {
			return identityExpr(v, nil)
		}
		return ""
	}
	t := n.Text()
	if strings.Contains(t, "request") || strings.Contains(t, "\n") {
		return ""
	}
	switch n.Kind {
	case "call":
		if a := n.ChildByField("arguments"); a != nil && len(a.NamedChildren()) == 0 {
			return t
		}
	case "attribute", "subscript":
		root := n
		for root.Kind == "attribute" || root.Kind == "subscript" {
			if root.Kind == "attribute" {
				root = root.ChildByField("object")
			} else {
				root = root.ChildByField("value")
			}
		}
		switch root.Text() {
		case "g", "current_user", "session", "flask.g":
			return t
		}
	}
	return ""
}

// ownerCompare turns `o["F"] == IDENT` (o one of bound) into the negated
// test on @@OBJ@@.
func ownerCompare(src []byte, n *python.Node, bound map[string]bool, locals map[string]*python.Node) string {
	cs := n.NamedChildren()
	if len(cs) != 2 {
		return ""
	}
	op := strings.TrimSpace(string(src[cs[0].End:cs[1].Start]))
	if op != "==" && op != "!=" {
		return ""
	}
	for _, pair := range [][2]*python.Node{{cs[0], cs[1]}, {cs[1], cs[0]}} {
		field, id := pair[0], pair[1]
		if field.Kind != "subscript" || !bound[field.ChildByField("value").Text()] {
			continue
		}
		key := field.ChildByField("subscript")
		if _, ok := key.StringValue(); !ok {
			continue
		}
		if ident := identityExpr(id, locals); ident != "" {
			return "@@OBJ@@[" + key.Text() + "] != " + ident
		}
	}
	return ""
}

// ownerPredicate turns `P(o)` (P a module function, o one of bound, used
// as a condition) into `not P(@@OBJ@@)`.
func ownerPredicate(f *python.File, n *python.Node, bound map[string]bool) string {
	fun := n.ChildByField("function")
	a := n.ChildByField("arguments")
	if fun == nil || fun.Kind != "identifier" || a == nil || len(a.NamedChildren()) != 1 || !bound[a.NamedChildren()[0].Text()] {
		return ""
	}
	p := n.Parent
	for p != nil && (p.Kind == "not_operator" || p.Kind == "parenthesized_expression") {
		p = p.Parent
	}
	if p == nil || p.Kind != "if_clause" && p.Kind != "if_statement" {
		return ""
	}
	if !definesName(f, fun.Text()) {
		return ""
	}
	return "not " + fun.Text() + "(@@OBJ@@)"
}

// ownerField turns a dictionary stored into the store with an entry
// "F": IDENT into `@@OBJ@@["F"] != IDENT`.
func ownerField(n *python.Node, bound map[string]bool, locals map[string]*python.Node) string {
	stored := bound["@@stored@@"+itoa(n.Start)]
	if !stored && n.Parent != nil && n.Parent.Kind == "assignment" {
		if l := n.Parent.ChildByField("left"); l != nil && l.Kind == "identifier" && bound[l.Text()] {
			stored = true
		}
	}
	if !stored {
		return ""
	}
	out := ""
	for _, pr := range n.NamedChildren() {
		if pr.Kind != "pair" {
			continue
		}
		k := pr.ChildByField("key")
		if _, ok := k.StringValue(); !ok {
			continue
		}
		if ident := identityExpr(pr.ChildByField("value"), locals); ident != "" {
			if out != "" {
				return "" // two identity fields: which one owns is a guess
			}
			out = "@@OBJ@@[" + k.Text() + "] != " + ident
		}
	}
	return out
}

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
				ind + "if " + obj + " is None or " + strings.ReplaceAll(test, "@@OBJ@@", obj) + ":\n" +
				reindent(src, cons, ind+"    ") + ind + "del " + store + "[" + id + "]\n"
			edits = []Edit{{Start: lineStart(src, n.Start), End: lineEnd(src, n.End-1), New: text}}
			what = "the " + obj + " is deleted only when the caller owns it (" + strings.ReplaceAll(test, "@@OBJ@@", obj) + " is refused as a missing one)"
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
			st := statementOf(n)
			ind := indentOf(src, st.Start)
			at := lineStart(src, st.Start)
			edits = []Edit{
				{Start: at, End: at, New: ind + obj + " = " + store + ".get(" + k.Text() + ")\n" +
					ind + "if " + obj + " is None or " + strings.ReplaceAll(test, "@@OBJ@@", obj) + ":\n" + ind + "    abort(404)\n"},
				{Start: n.Start, End: n.End, New: obj},
			}
			if !importsName(s.file, "flask", "abort") {
				p := importPos(s.file)
				edits = append(edits, Edit{Start: p, End: p, New: "from flask import abort\n"})
			}
			what = "a " + obj + " the caller does not own is answered 404, as a missing one (" + strings.ReplaceAll(test, "@@OBJ@@", obj) + ")"
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
