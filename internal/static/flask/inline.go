package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Inline refusals. Many hand-written checks do not abort with 401: they
// test the credential in line and return an error answer whatever its
// status — `if not check(request.headers["X-API-Token"]): return
// {"success": False, ...}`, a jsonify(error=...) with 200, a redirect to
// the login page, a 404 or a 500 — or call a helper that builds one. Such
// a branch is an auth check. An exception handler's bare `raise` is not:
// it re-raises whatever was caught, which refuses nothing by itself.

// inlineRefusals returns the lines of the branches of body that test a
// credential (the condition reads one, or names a variable assigned from
// one) and return a refusal.
func (p *Project) inlineRefusals(body *python.Node, depth int) []Loc {
	if body == nil {
		return nil
	}
	// Names that hold request containers (d = request.headers) and names
	// assigned from a credential read or from another such name, in
	// source order (key = d.get("X-Api-Key"); ok = key in KEYS).
	containers, tainted := map[string]bool{}, map[string]bool{}
	body.Walk(func(n *python.Node) bool {
		if n.Kind != "assignment" {
			return true
		}
		left, right := n.ChildByField("left"), n.ChildByField("right")
		if left == nil || left.Kind != "identifier" || right == nil {
			return true
		}
		switch d := right.Unparen().DottedName(); d {
		case "request.headers", "request.args", "request.cookies", "request.values", "flask.request.headers":
			containers[left.Text()] = true
			return true
		}
		if readsCredential(right) || readsOwnContainer(right, containers) || mentions(right, tainted) {
			tainted[left.Text()] = true
		}
		return true
	})
	var out []Loc
	body.Walk(func(n *python.Node) bool {
		if n.Kind != "if_statement" {
			return true
		}
		cond := n.ChildByField("condition")
		if !readsCredential(cond) && !readsOwnContainer(cond, containers) && !mentions(cond, tainted) && !readsLoginState(p, cond) {
			return true
		}
		if cons := n.ChildByField("consequence"); cons != nil {
			for _, st := range cons.NamedChildren() {
				if st.Kind == "return_statement" && p.refusalReturn(st, depth) {
					out = append(out, Loc{File: st.File.Path, Line: st.Line})
				}
			}
		}
		return true
	})
	return out
}

// readsCredential: the expression reads a credential header, query
// parameter or cookie (request.headers.get("X-API-Token"),
// request.headers["X-API-Key"], ...).
func readsCredential(n *python.Node) bool {
	found := false
	n.Walk(func(c *python.Node) bool {
		if found {
			return false
		}
		switch c.Kind {
		case "call":
			d := c.ChildByField("function").DottedName()
			if strings.HasSuffix(d, "headers.get") || strings.HasSuffix(d, "args.get") || strings.HasSuffix(d, "cookies.get") || strings.HasSuffix(d, "values.get") {
				if name, ok := positional(c.ChildByField("arguments"), 0).StringValue(); ok && headerKind(name) != "" {
					found = true
				}
			}
		case "subscript":
			if d := c.ChildByField("value").DottedName(); strings.HasSuffix(d, "headers") || strings.HasSuffix(d, "args") || strings.HasSuffix(d, "cookies") {
				if s, ok := c.ChildByField("subscript").StringValue(); ok && headerKind(s) != "" {
					found = true
				}
			}
		}
		return true
	})
	return found
}

// readsOwnContainer: the expression reads a credential from a local alias
// of a request container (d.get("wg-dashboard-apikey") with d =
// request.headers).
func readsOwnContainer(n *python.Node, containers map[string]bool) bool {
	if len(containers) == 0 {
		return false
	}
	found := false
	n.Walk(func(c *python.Node) bool {
		if found {
			return false
		}
		var obj, key *python.Node
		switch c.Kind {
		case "call":
			if fn := c.ChildByField("function"); fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "get" {
				obj, key = fn.ChildByField("object"), positional(c.ChildByField("arguments"), 0)
			}
		case "subscript":
			obj, key = c.ChildByField("value"), c.ChildByField("subscript")
		}
		if obj != nil && obj.Kind == "identifier" && containers[obj.Text()] {
			if s, ok := key.StringValue(); ok && headerKind(s) != "" {
				found = true
			}
		}
		return true
	})
	return found
}

// readsLoginState: the expression reads Flask's session (where a login
// keeps its user: session.get("user"), "username" not in session,
// session["role"]) or a login library's state (current_user.is_authenticated).
func readsLoginState(p *Project, n *python.Node) bool {
	m := p.ModuleOf(n)
	found := false
	n.Walk(func(c *python.Node) bool {
		if found {
			return false
		}
		switch c.Kind {
		case "identifier":
			if c.Text() == "session" && m != nil && m.Qualify("session") == "flask.session" {
				found = true
			}
		case "attribute":
			if c.DottedName() == "flask.session" || c.DottedName() == "current_user.is_authenticated" || isLoginState(c) {
				found = true
			}
		}
		return true
	})
	return found
}

// mentions: the expression uses one of the names.
func mentions(n *python.Node, names map[string]bool) bool {
	found := false
	n.Walk(func(c *python.Node) bool {
		if c.Kind == "identifier" && names[c.Text()] {
			found = true
		}
		return !found
	})
	return found
}

// refusalReturn: the returned value is an error answer: a status of 400 or
// more, an error envelope ({"success": False}, jsonify(error=...)), a
// redirect, an abort, or a call of a project function whose every return
// is one of those.
func (p *Project) refusalReturn(ret *python.Node, depth int) bool {
	vals := ret.NamedChildren()
	if len(vals) != 1 {
		return false
	}
	v := vals[0].Unparen()
	if v.Kind == "expression_list" || v.Kind == "tuple" {
		items := v.NamedChildren()
		if len(items) >= 2 {
			if s := p.Eval(items[1]); s.Kind == Int && s.I >= 400 {
				return true
			}
		}
		if len(items) > 0 {
			v = items[0].Unparen()
		}
	}
	return p.refusalValue(v, depth)
}

func (p *Project) refusalValue(v *python.Node, depth int) bool {
	if v == nil {
		return false
	}
	if errorEnvelope(v.Text()) {
		return true
	}
	if v.Kind == "identifier" {
		return p.statusSetDenied(v)
	}
	if v.Kind != "call" {
		return false
	}
	if p.refusalArgs(v) {
		return true
	}
	d := v.ChildByField("function").DottedName()
	last := d[strings.LastIndex(d, ".")+1:]
	switch last {
	case "redirect", "abort":
		return true
	}
	if depth >= 4 || d == "" {
		return false
	}
	_, def := p.ResolveFunc(p.ModuleOf(v), d)
	if def == nil {
		return false
	}
	returns, refusals := 0, 0
	def.ChildByField("body").Walk(func(n *python.Node) bool {
		if n.Kind == "function_definition" {
			return false
		}
		if n.Kind == "return_statement" {
			returns++
			if p.refusalReturn(n, depth+1) {
				refusals++
			}
		}
		return true
	})
	return returns > 0 && returns == refusals
}

// errorEnvelope: the expression's text builds an answer that says it
// failed: success or ok set false, or an error field.
func errorEnvelope(text string) bool {
	t := strings.ToLower(strings.Join(strings.Fields(text), ""))
	for _, w := range []string{`success=false`, `"success":false`, `'success':false`, `ok=false`, `"ok":false`, `'ok':false`,
		`error=`, `"error":`, `'error':`, `"errors":`, `'errors':`} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// bareReraise: a bare `raise` in an exception handler re-raises what was
// caught; it refuses only when the handler catches an authentication
// error (except jwt.InvalidTokenError: raise).
func bareReraise(r *python.Node) (reraise, refuses bool) {
	if strings.TrimSpace(r.Text()) != "raise" {
		return false, false
	}
	h := r.Ancestor("except_clause")
	if h == nil {
		return true, false
	}
	head, _, _ := strings.Cut(h.Text(), ":")
	for _, w := range []string{"Unauthorized", "Forbidden", "Auth", "Permission", "Denied", "Invalid", "Expired", "Signature", "NoAuthorization", "jwt.", "jose."} {
		if strings.Contains(head, w) {
			return true, true
		}
	}
	return true, false
}

// RefusalBuilder reports whether a function only builds refusals (every
// return is one): a helper like refuse(message) that the checks call. It
// checks nothing itself, so a finding is never pinned inside it.
func (p *Project) RefusalBuilder(def *python.Node) bool {
	if def == nil || def.Kind != "function_definition" {
		return false
	}
	returns, refusals := 0, 0
	def.ChildByField("body").Walk(func(n *python.Node) bool {
		if n.Kind == "function_definition" {
			return false
		}
		if n.Kind == "return_statement" {
			returns++
			if p.refusalReturn(n, 1) {
				refusals++
			}
		}
		return true
	})
	return returns > 0 && returns == refusals
}

// statusSetDenied: the returned name is a response whose status was set
// to 400 or more before the return (response = make_response(...);
// response.status_code = 401; return response).
func (p *Project) statusSetDenied(name *python.Node) bool {
	fn := name.Ancestor("function_definition")
	if fn == nil {
		return false
	}
	denied := false
	fn.ChildByField("body").Walk(func(n *python.Node) bool {
		if n.Kind == "function_definition" || denied || n.Start > name.Start {
			return false
		}
		if n.Kind == "assignment" {
			if left := n.ChildByField("left"); left != nil && left.Kind == "attribute" &&
				left.ChildByField("object").Text() == name.Text() &&
				(left.ChildByField("attribute").Text() == "status_code" || left.ChildByField("attribute").Text() == "status") {
				if v := p.Eval(n.ChildByField("right")); v.Kind == Int && v.I >= 400 {
					denied = true
				}
			}
		}
		return true
	})
	return denied
}

// refusalArgs: a call that builds its answer with a status of 400 or more
// (status=401, status_code=403, code=404) or with its success flag False,
// by keyword or by the position of a parameter so named
// (ResponseObject(False, "Unauthorized access.") with def
// ResponseObject(status=True, message=None, ...)).
func (p *Project) refusalArgs(call *python.Node) bool {
	args := call.ChildByField("arguments")
	if args == nil {
		return false
	}
	for _, k := range []string{"status", "status_code", "code", "http_status"} {
		if a := keyword(args, k); a != nil {
			if v := p.Eval(a); v.Kind == Int && v.I >= 400 {
				return true
			}
		}
	}
	for _, k := range []string{"success", "ok", "status"} {
		if a := keyword(args, k); a != nil && a.Text() == "False" {
			return true
		}
	}
	first := positional(args, 0)
	if first == nil || first.Text() != "False" {
		return false
	}
	_, def := p.ResolveFunc(p.ModuleOf(call), call.ChildByField("function").DottedName())
	if def == nil {
		return false
	}
	params := def.ChildByField("parameters").NamedChildren()
	if len(params) == 0 {
		return false
	}
	name := params[0]
	if n := name.ChildByField("name"); n != nil {
		name = n
	}
	switch name.Text() {
	case "success", "ok", "status":
		return true
	}
	return false
}
