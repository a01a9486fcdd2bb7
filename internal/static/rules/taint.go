package rules

// Request data: which expressions the client controls (the source half
// of the timing-compare, credential-in-query and unverified-decode rules).

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// requestDerived reports an expression computed from the request: a read
// of request data, a local assigned from one, a Flask-HTTPAuth verifier's
// parameter, or a parameter every caller passes request data to.
func (ps *Pass) requestDerived(n *python.Node, depth int) bool {
	n = n.Unparen()
	if n == nil {
		return false
	}
	// depth counts hops (a local's assignment, a caller's argument, a
	// helper's return); reading into an expression is free.
	if depth > 6 {
		ps.truncated = true
		return false
	}
	if v, ok := ps.derived[n]; ok {
		return v
	}
	if d, ok := ps.derivedCut[n]; ok && d <= depth {
		// cut short by the depth bound from here or shallower before
		ps.truncated = true
		return false
	}
	ps.derived[n] = false // cycles: not derived while being decided
	outer := ps.truncated
	ps.truncated = false
	v := ps.requestDerivedUncached(n, depth)
	if v || !ps.truncated {
		ps.derived[n] = v
	} else {
		// cut short by the depth bound: decided again only from a
		// shallower use, which has more hops left
		delete(ps.derived, n)
		if ps.derivedCut == nil {
			ps.derivedCut = map[*python.Node]int{}
		}
		ps.derivedCut[n] = depth
	}
	ps.truncated = outer || ps.truncated
	return v
}

// callSites memoizes Project.CallSites.
func (ps *Pass) callSites(fn *python.Node) []flask.CallSite {
	if cs, ok := ps.sites[fn]; ok {
		return cs
	}
	cs := ps.Project.CallSites(fn)
	if cls := fn.Ancestor("class_definition"); cls != nil && len(cs) == 0 {
		cs = ps.methodCallSites(fn, cls)
	}
	ps.sites[fn] = cs
	return cs
}

// methodCallSites are the calls of a method: Class.method(...) where
// Class resolves to its class, and self.method(...) / cls.method(...)
// inside it. A static or class method is bound without self.
func (ps *Pass) methodCallSites(fn, cls *python.Node) []flask.CallSite {
	name := fn.ChildByField("name").Text()
	var out []flask.CallSite
	for _, c := range ps.callsByAttr(name) {
		f := c.Node.ChildByField("function")
		if f.Kind != "attribute" || f.ChildByField("attribute").Text() != name {
			continue
		}
		obj := f.ChildByField("object")
		switch {
		case (obj.Text() == "self" || obj.Text() == "cls") && cls.Contains(c.Node):
			out = append(out, flask.CallSite{Call: c.Node})
		case obj.Kind == "identifier" || obj.Kind == "attribute":
			if _, def := ps.Project.ResolveClass(c.Module, obj.DottedName()); def == cls {
				out = append(out, flask.CallSite{Call: c.Node})
			}
		}
	}
	return out
}

func (ps *Pass) requestDerivedUncached(n *python.Node, depth int) bool {
	if ps.credRead(n) {
		return true
	}
	switch n.Kind {
	case "attribute":
		d := strings.TrimPrefix(n.DottedName(), "flask.")
		if d == "request" || strings.HasPrefix(d, "request.") {
			switch d {
			case "request.endpoint", "request.path", "request.method", "request.url", "request.blueprint", "request.url_rule",
				"request.full_path", "request.base_url", "request.host", "request.remote_addr", "request.scheme":
				return false // routing, not data the client authenticates with
			}
			return true
		}
		// auth.password with auth = request.authorization; user.pin with
		// user looked up in the database is server data.
		return ps.requestDerived(n.ChildByField("object"), depth)
	case "subscript":
		return ps.requestDerived(n.ChildByField("value"), depth)
	case "call":
		fn := n.ChildByField("function")
		if outgoingHTTP(ps, n) {
			return false // another service's answer
		}
		if fn.Kind == "attribute" {
			switch fn.ChildByField("attribute").Text() {
			case "get", "getlist", "get_json", "json", "strip", "lstrip", "rstrip", "lower", "upper", "casefold", "encode", "decode",
				"split", "rsplit", "replace", "removeprefix", "removesuffix", "format", "pop", "partition", "rpartition", "get_data", "to_dict":
				// A read or a transform of request data stays request data;
				// USERS.get(name) is a lookup: server data.
				return ps.requestDerived(fn.ChildByField("object"), depth)
			}
		}
		q := fn.Text()
		if m := ps.Project.ModuleOf(n); m != nil && fn.Kind == "identifier" {
			q = m.Qualify(q) // from base64 import b64decode
		}
		switch q {
		case "str", "bytes", "int", "base64.b64decode", "base64.urlsafe_b64decode", "json.loads", "unquote", "urllib.parse.unquote":
			for _, a := range n.ChildByField("arguments").NamedChildren() {
				if ps.requestDerived(a, depth) {
					return true
				}
			}
			return false
		}
		// A project function that returns request data (bearer()).
		if def := calleeDef(ps.Project, ps.Project.ModuleOf(n), n); def != nil && n.Ancestor("function_definition") != def && depth < 6 {
			found := false
			def.ChildByField("body").Walk(func(r *python.Node) bool {
				if r.Kind == "function_definition" || found {
					return false
				}
				if r.Kind == "return_statement" {
					if v := r.NamedChildren(); len(v) > 0 && ps.requestDerived(v[0], depth+1) {
						found = true
					}
				}
				return true
			})
			return found
		}
		return false
	case "identifier":
		if n.Text() == "request" {
			if m := ps.Project.ModuleOf(n); m != nil && m.Qualify("request") == "flask.request" {
				return true
			}
		}
		fn := n.Ancestor("function_definition")
		// sxng_request = typing.cast(SXNG_Request, flask.request) at module
		// level, read in a function that does not assign the name.
		if fn == nil || len(allAssigns(fn, n.Text())) == 0 && flask.ParamOf(n) == nil {
			if m := ps.Project.ModuleOf(n); m != nil {
				name := n.Text()
				// from searx.extended_types import sxng_request
				if imp, ok := m.Imports[name]; ok && imp.Name != "" {
					if im := ps.Project.Module(imp.Module); im != nil {
						m, name = im, imp.Name
					}
				}
				for _, rhs := range m.Assigns[name] {
					if !rhs.Contains(n) && mentionsFlaskRequest(m, rhs) {
						return true
					}
				}
			}
			if fn == nil {
				return false
			}
		}
		// Any assignment of the name in the function may reach the use
		// (password = ""; password = password.encode()).
		for _, rhs := range append(allAssigns(fn, n.Text()), unpackAssigns(fn, n.Text())...) {
			if rhs != nil && !rhs.Contains(n) && rhs.Start < n.Start && ps.requestDerived(rhs, depth+1) {
				return true
			}
		}
		if fn == flask.ParamOf(n) {
			// A route handler's parameters are the URL's variables or the
			// body a decorator parsed for it (webargs, APIFairy).
			if isVerifyCallback(fn) || ps.reachSet().callbacks[fn] || ps.reachSet().handlers[fn] && n.Text() != "self" && n.Text() != "cls" {
				return true
			}
			for _, cs := range ps.callSites(fn) {
				if a := cs.Arg(fn, n.Text()); a != nil && ps.requestDerived(a, depth+1) {
					return true
				}
			}
		}
		return false
	case "list_comprehension", "generator_expression":
		// [p.strip() for p in header.split(" ")]: the parts of request data
		for _, c := range n.NamedChildren() {
			if c.Kind == "for_in_clause" && ps.requestDerived(c.ChildByField("right"), depth) {
				return true
			}
		}
	case "tuple", "expression_list", "binary_operator", "boolean_operator", "conditional_expression", "parenthesized_expression", "string", "interpolation",
		"concatenated_string", "not_operator", "unary_operator", "await":
		for _, c := range n.NamedChildren() {
			if ps.requestDerived(c, depth) {
				return true
			}
		}
	}
	return false
}

// outgoingHTTP: a call to another service (requests, httpx, urllib, a
// session's get/post): its answer is not the client's request.
func outgoingHTTP(ps *Pass, call *python.Node) bool {
	m := ps.Project.ModuleOf(call)
	fn := call.ChildByField("function")
	q := fn.DottedName()
	if m != nil {
		q = m.Qualify(q)
	}
	for _, p := range []string{"requests.", "httpx.", "urllib.", "urllib3.", "aiohttp.", "http.client."} {
		if strings.HasPrefix(q, p) {
			return true
		}
	}
	if fn.Kind == "attribute" && !strings.HasPrefix(fn.ChildByField("object").DottedName(), "request") {
		switch fn.ChildByField("attribute").Text() {
		case "post", "put", "patch", "urlopen", "fetch", "request":
			return true
		}
	}
	return false
}

// mentionsFlaskRequest: the expression reads flask's request object.
func mentionsFlaskRequest(m *flask.Module, n *python.Node) bool {
	found := false
	n.Walk(func(x *python.Node) bool {
		if x.Kind == "identifier" || x.Kind == "attribute" {
			if q := m.Qualify(x.DottedName()); q == "flask.request" {
				found = true
			}
		}
		return !found
	})
	return found
}

// credRead memoizes whether credentialRead finds a credential read at n.
func (ps *Pass) credRead(n *python.Node) bool {
	if v, ok := ps.credReads[n]; ok {
		return v
	}
	if ps.credReads == nil {
		ps.credReads = map[*python.Node]bool{}
	}
	_, v := credentialRead(ps.Project, n, 0)
	ps.credReads[n] = v
	return v
}
