package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixClientIdentity drops the client-controlled value a handler takes the
// caller's identity from when the code already falls back to the
// verified one: `name = request.headers.get("X-User", user)` becomes
// `name = user`, `request.cookies.get("user") or caller()` becomes
// `caller()`. A client value with no verified fallback (a role read from
// a header) is listed: which verified attribute replaces it needs a person.
func fixClientIdentity(s *site) (*attempt, string) {
	for _, as := range s.onLine("assignment") {
		right := as.ChildByField("right")
		if right == nil || as.Line > s.line {
			continue
		}
		verified := ""
		switch right.Kind {
		case "call":
			if clientRead(right) {
				if a := args(right); len(a) == 2 && a[1].Kind != "keyword_argument" {
					verified = a[1].Text()
					if !serverSide(a[1]) {
						verified = ""
					}
				}
			}
		case "boolean_operator":
			cs := right.NamedChildren()
			if len(cs) == 2 && strings.Contains(right.Text(), " or ") && clientRead(cs[0].Unparen()) && serverSide(cs[1]) {
				verified = cs[1].Text()
			}
		}
		if verified == "" {
			continue
		}
		return &attempt{edits: []Edit{{Start: right.Start, End: right.End, New: verified}},
			what: "the identity comes from the verified credential (" + verified + "), no longer from the request"}, ""
	}
	return nil, "no client-controlled value with a verified fallback on " + s.f.Location.String() + "; which verified attribute replaces it needs a person"
}

// clientRead reports whether a call reads a request header, cookie, query
// or form field: request.headers.get(...), request.cookies.get(...), ...
func clientRead(n *python.Node) bool {
	if n == nil || n.Kind != "call" {
		return false
	}
	name := callName(n)
	for _, src := range []string{"request.headers.get", "request.cookies.get", "request.args.get", "request.values.get", "request.form.get"} {
		if name == src {
			return true
		}
	}
	return false
}

// serverSide reports whether an expression holds no request data: a name
// or a call whose text does not read the request.
func serverSide(n *python.Node) bool {
	switch n.Kind {
	case "identifier", "call":
		return !strings.Contains(n.Text(), "request")
	}
	return false
}

// fixClientRole replaces a role the client sends with the role the
// verified caller's record holds: of `if READ != "admin": refuse`, READ a
// request header, cookie or parameter, the condition becomes `NAME is None
// or STORE[NAME].get("role") != "admin"` below `NAME = F()`, where F() is
// the verified identity another route takes its caller from and looks up
// in STORE (`user = caller()` ... `USERS[user]`), and "role" is the one
// field of STORE's records that holds the compared value.
func fixClientRole(s *site) (*attempt, string) {
	var stmt *python.Node
	for _, n := range s.onLine("if_statement") {
		if n.Line == s.line {
			stmt = n
			break
		}
	}
	if stmt == nil {
		return nil, "no if statement comparing a client value on " + s.f.Location.String()
	}
	cond := stmt.ChildByField("condition").Unparen()
	cs := cond.NamedChildren()
	if cond.Kind != "comparison_operator" || len(cs) != 2 || !clientRead(cs[0]) || !strings.Contains(cond.Text(), "!=") {
		return nil, "the check is not `if <request value> != <literal>: refuse`; which verified attribute replaces it needs a person"
	}
	lit, ok := cs[1].StringValue()
	if !ok {
		return nil, "the client value is not compared with a literal"
	}
	call, name, store := verifiedCaller(s.file)
	if call == "" {
		return nil, "no route shows a verified caller looked up in a store (x = F(); STORE[x]); which verified attribute replaces it needs a person"
	}
	field := recordField(s.file, store, lit)
	if field == "" {
		return nil, "no one field of " + store + "'s records holds " + quote(lit) + "; which verified attribute replaces it needs a person"
	}
	fn := stmt.Ancestor("function_definition")
	if fn == nil || usesName(fn, name) {
		return nil, "the handler already uses the name " + name
	}
	src := s.src()
	at := lineStart(src, stmt.Start)
	newCond := name + " is None or " + store + "[" + name + "].get(" + quote(field) + ") != " + cs[1].Text()
	return &attempt{edits: []Edit{
		{Start: at, End: at, New: indentOf(src, stmt.Start) + name + " = " + call + "\n"},
		{Start: cond.Start, End: cond.End, New: newCond},
	}, what: "the role comes from the verified caller's record (" + store + "[" + name + "][" + quote(field) + "]), no longer from the request"}, ""
}

// verifiedCaller finds a route that binds `NAME = F()` (F a function of
// the module), refuses when it is None and looks NAME up in a store
// (`STORE[NAME]`): it returns "F()", NAME and STORE.
func verifiedCaller(f *python.File) (string, string, string) {
	for _, h := range handlers(f) {
		body := h.fn.ChildByField("body")
		for _, as := range locals(body) {
			left, right := as.ChildByField("left"), as.ChildByField("right")
			if left.Kind != "identifier" || right.Kind != "call" || len(args(right)) != 0 || right.ChildByField("function").Kind != "identifier" || !definesName(f, callName(right)) {
				continue
			}
			name := left.Text()
			if noneGuard(h.fn, name) == nil {
				continue
			}
			store := ""
			body.Walk(func(n *python.Node) bool {
				if n.Kind == "subscript" && n.ChildByField("subscript").Text() == name && n.ChildByField("value").DottedName() != "" {
					store = n.ChildByField("value").DottedName()
				}
				return store == ""
			})
			if store != "" {
				return right.Text(), name, store
			}
		}
	}
	return "", "", ""
}

// locals are the assignment statements at the top level of a body.
func locals(body *python.Node) []*python.Node {
	var out []*python.Node
	for _, st := range body.NamedChildren() {
		if st.Kind == "expression_statement" {
			if as := firstNamed(st); as != nil && as.Kind == "assignment" && as.ChildByField("right") != nil {
				out = append(out, as)
			}
		}
	}
	return out
}

// recordField returns the one key of the records of a module-level
// `STORE = {k: {...}, ...}` whose value is lit in some record, or "".
func recordField(f *python.File, store, lit string) string {
	keys := map[string]bool{}
	for _, st := range f.Root.NamedChildren() {
		as := firstNamed(st)
		if st.Kind != "expression_statement" || as == nil || as.Kind != "assignment" || as.ChildByField("left").Text() != store {
			continue
		}
		right := as.ChildByField("right")
		if right == nil || right.Kind != "dictionary" {
			continue
		}
		for _, pr := range right.NamedChildren() {
			rec := pr.ChildByField("value")
			if pr.Kind != "pair" || rec == nil || rec.Kind != "dictionary" {
				continue
			}
			for _, e := range rec.NamedChildren() {
				k, ok1 := e.ChildByField("key").StringValue()
				v, ok2 := e.ChildByField("value").StringValue()
				if e.Kind == "pair" && ok1 && ok2 && v == lit {
					keys[k] = true
				}
			}
		}
	}
	return one(keys)
}

// usesName reports whether an identifier name occurs in n.
func usesName(n *python.Node, name string) bool {
	found := false
	n.Walk(func(c *python.Node) bool {
		found = found || c.Kind == "identifier" && c.Text() == name
		return !found
	})
	return found
}
