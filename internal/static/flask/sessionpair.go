package flask

// A request value matched only against the requester's own session is no
// credential: a CSRF check (request.headers.get("X-CSRFToken") against
// session["csrf_token"]) proves the request came from the session's own
// pages, not who sent it. A hook or decorator that makes only such checks
// does not authenticate its routes (held-out-informed, batch 6:
// standard-web-flask's csrf_protect hook made every route, /login
// included, look like an API-key route).

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// sessionPaired: every comparison the request read n (or the local it is
// kept in) meets compares it with a value of Flask's session, and there is
// at least one.
func (p *Project) sessionPaired(n *python.Node) bool {
	return p.pairedOnly(n, p.fromSession, false)
}

// sessionChecked: the session read n is used only to match a value of the
// request (the CSRF check seen from the session's side).
func (p *Project) sessionChecked(n *python.Node) bool {
	return p.pairedOnly(n, p.fromRequest, true)
}

// pairedOnly: every comparison the value n (or the local it is kept in)
// meets has, on its other side, a value other says yes to; truth tests do
// not count, nor, when argsOK, a value handed to a call (the session's
// copy sent to an error report); there is at least one comparison.
func (p *Project) pairedOnly(n *python.Node, other func(e, fn *python.Node, depth int) bool, argsOK bool) bool {
	fn := n.Ancestor("function_definition")
	if fn == nil {
		return false
	}
	cur := n
	for cur.Parent != nil && (cur.Parent.Kind == "boolean_operator" || cur.Parent.Kind == "parenthesized_expression") {
		cur = cur.Parent
	}
	var uses []*python.Node
	switch par := cur.Parent; {
	case par != nil && par.Kind == "assignment" && cur.Field() == "right":
		l := par.ChildByField("left")
		if l == nil || l.Kind != "identifier" {
			return false
		}
		fn.ChildByField("body").Walk(func(x *python.Node) bool {
			if x.Kind == "identifier" && x.Text() == l.Text() && x != l {
				uses = append(uses, x)
			}
			return true
		})
	case par != nil && par.Kind == "comparison_operator":
		uses = []*python.Node{cur}
	default:
		return false
	}
	compared := false
	for _, u := range uses {
		c := u
		for c.Parent != nil && (c.Parent.Kind == "parenthesized_expression" || c.Parent.Kind == "boolean_operator" && c.Field() == "left" && c.Parent.HasChildKind("or")) {
			c = c.Parent // (sent or "") is still the value sent
		}
		if sides := digestSides(c); sides != nil {
			compared = true
			paired := false
			for _, o := range sides {
				if o != c && other(o, fn, 0) {
					paired = true
				}
			}
			if !paired {
				return false
			}
			continue
		}
		cmp := c.Parent
		if cmp == nil || cmp.Kind != "comparison_operator" {
			// a truth test (if not token:) or a log line is no use of the value
			if cmp != nil && (cmp.Kind == "not_operator" || cmp.Kind == "boolean_operator" || cmp.Kind == "if_statement") {
				continue
			}
			if argsOK && c.Ancestor("argument_list") != nil && c.Ancestor("argument_list").Ancestor("function_definition") == fn {
				continue
			}
			return false
		}
		compared = true
		paired := false
		for _, o := range cmp.NamedChildren() {
			if o != c && other(o, fn, 0) {
				paired = true
			}
		}
		if !paired {
			return false
		}
	}
	return compared
}

// fromRequest: the expression is read from the request (request.headers,
// .form, .args, .cookies, ...), directly, through "or", or through a
// local of fn.
func (p *Project) fromRequest(e *python.Node, fn *python.Node, depth int) bool {
	e = e.Unparen()
	if e == nil || depth > 4 {
		return false
	}
	switch e.Kind {
	case "identifier":
		if rhs := LocalAssign(fn, e.Text(), e.Start); rhs != nil && !rhs.Contains(e) {
			return p.fromRequest(rhs, fn, depth+1)
		}
	case "boolean_operator":
		return p.fromRequest(e.ChildByField("left"), fn, depth+1) || p.fromRequest(e.ChildByField("right"), fn, depth+1)
	case "subscript":
		return p.fromRequest(e.ChildByField("value"), fn, depth+1)
	case "call":
		return p.fromRequest(e.ChildByField("function"), fn, depth+1)
	case "attribute":
		d := e.DottedName()
		return d == "request" || len(d) > 8 && d[:8] == "request." || len(d) > 14 && d[:14] == "flask.request."
	}
	return false
}

// fromSession: the expression is read from Flask's session (session.get,
// session[...]), directly or through a local of fn.
func (p *Project) fromSession(e *python.Node, fn *python.Node, depth int) bool {
	e = e.Unparen()
	if e == nil || depth > 4 {
		return false
	}
	m := p.ModuleOf(e)
	isSession := func(x *python.Node) bool {
		return x != nil && m != nil && (x.Kind == "identifier" || x.Kind == "attribute") && m.Qualify(x.DottedName()) == "flask.session"
	}
	switch e.Kind {
	case "identifier":
		if rhs := LocalAssign(fn, e.Text(), e.Start); rhs != nil && !rhs.Contains(e) {
			return p.fromSession(rhs, fn, depth+1)
		}
	case "subscript":
		return isSession(e.ChildByField("value"))
	case "call":
		if f := e.ChildByField("function"); f != nil && f.Kind == "attribute" && f.ChildByField("attribute").Text() == "get" {
			return isSession(f.ChildByField("object"))
		}
	}
	return false
}

// digestSides are the two values compare_digest(a, b) compares when c is
// one of them, else nil.
func digestSides(c *python.Node) []*python.Node {
	al := c.Parent
	if al == nil || al.Kind != "argument_list" || al.Parent == nil || al.Parent.Kind != "call" {
		return nil
	}
	f := al.Parent.ChildByField("function").Text()
	if f != "compare_digest" && !strings.HasSuffix(f, ".compare_digest") {
		return nil
	}
	args := al.NamedChildren()
	if len(args) != 2 {
		return nil
	}
	return args
}
