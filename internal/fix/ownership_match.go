package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// ownerTests collects, over the routes sharing an auth decorator with the
// handler, the negated ownership tests the code makes on store's objects,
// with @@OBJ@@ in place of the object.
func ownerTests(f *python.File, store string, auth []string) map[string]bool {
	out := map[string]bool{}
	for _, h := range handlers(f) {
		if !sameAuth(h.auth, auth) {
			continue
		}
		fn := h.fn
		bound := storeItems(fn, store)
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
				if t := ownKey(n, store, locals); t != "" {
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

// sameAuth reports whether two routes are guarded alike: they share an
// auth decorator, or neither has one (both are left to the app's hooks,
// before_request, which set the same identity for both).
func sameAuth(a, b []string) bool {
	return len(a) == 0 && len(b) == 0 || sharesAny(a, b)
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

// ownKey turns a lookup of the caller's own object by its identity
// (STORE.pop(g.user["username"], None), STORE.get(get_jwt_identity()))
// into `@@KEY@@ != IDENT`: the store is keyed by the caller, so the key a
// handler looks up must be the caller's.
func ownKey(n *python.Node, store string, locals map[string]*python.Node) string {
	f := n.ChildByField("function")
	if f == nil || f.Kind != "attribute" || f.ChildByField("object").DottedName() != store {
		return ""
	}
	if m := f.ChildByField("attribute").Text(); m != "get" && m != "pop" {
		return ""
	}
	a := positional(n)
	if len(a) == 0 {
		return ""
	}
	if ident := identityExpr(a[0], locals); ident != "" {
		return "@@KEY@@ != " + ident
	}
	return ""
}
