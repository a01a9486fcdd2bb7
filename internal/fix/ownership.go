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
	var fn *python.Node
	var auth []string
	switch h := s.handlerAt(); {
	case def != nil:
		fn, auth = def.ChildByField("definition"), authDecorators(def)
	case h != nil:
		fn, auth = h.fn, h.auth // a Resource method
	default:
		return nil, "no route function at " + s.f.Location.String()
	}
	obj, store, key := fetched(fn)
	if obj == "" {
		if def == nil {
			return nil, "the Resource method does not fetch the object as x = STORE.get(id); the owner check needs a person"
		}
		return s.ownershipRewrite(def)
	}
	guard := noneGuard(fn, obj)
	if guard == nil {
		return nil, "the handler does not refuse a missing " + obj + " (if " + obj + " is None: ...); the owner check needs a person"
	}
	tests := ownerTests(s.file, store, auth)
	test := one(tests)
	switch {
	case len(tests) == 0:
		return nil, "no other route with the same auth shows how " + store + "'s objects are matched to the caller (an owner field compared with the identity)"
	case test == "":
		return nil, "the code matches " + store + "'s objects to the caller in more than one way"
	}
	if strings.Contains(test, "@@KEY@@") && key == "" {
		return nil, "the handler's lookup key is not plain; the owner check needs a person"
	}
	test = strings.ReplaceAll(strings.ReplaceAll(test, "@@OBJ@@", obj), "@@KEY@@", key)
	cond := guard.ChildByField("condition")
	text := cond.Text()
	if cond.Kind == "boolean_operator" && strings.Contains(text, " and ") {
		text = "(" + text + ")"
	}
	return &attempt{edits: []Edit{{Start: cond.Start, End: cond.End, New: text + " or " + test}},
		what: "an object the caller does not own is refused as a missing one (" + test + ")"}, ""
}

// fetched returns the first name a handler binds to STORE.get(...) or
// STORE[...], and the store.
func fetched(fn *python.Node) (string, string, string) {
	var obj, store, key string
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
					obj, store, key = left.Text(), st, storeKey(right)
				}
			}
		}
		return true
	})
	return obj, store, key
}

// storeKey returns KEY of STORE.get(KEY, ...), STORE.pop(KEY, ...) or
// STORE[KEY], else "".
func storeKey(n *python.Node) string {
	switch n.Kind {
	case "call":
		if a := positional(n); len(a) > 0 {
			return a[0].Text()
		}
	case "subscript":
		if k := n.ChildByField("subscript"); k != nil {
			return k.Text()
		}
	}
	return ""
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
