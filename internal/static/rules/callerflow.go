package rules

// What a decoded token gates. A decode that skips exp, aud, iss, nbf or
// iat weakens authentication only when the token is the caller's
// credential and its claims decide who the caller is or what they may
// do. Not when the token is the object of the request (a token being
// revoked, introspected or looked up in a denylist while the caller
// authenticates otherwise), nor when it came back-channel from another
// service (an identity provider's token endpoint answering the app's own
// code and client secret): those are not request data.

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// tokenOrigin is where a request token comes from: a credential transport
// (a header, a cookie, request.authorization, an auth callback's
// parameter), a body field (form, query, JSON), and the functions that
// read the body fields.
type tokenOrigin struct {
	cred, body bool
	readers    []*python.Node
}

func (ps *Pass) originOf(n *python.Node, depth int, o *tokenOrigin) {
	n = n.Unparen()
	if n == nil || depth > 5 {
		return
	}
	switch n.Kind {
	case "attribute":
		d := strings.TrimPrefix(n.DottedName(), "flask.")
		switch {
		case d == "request.headers" || d == "request.cookies" || d == "request.authorization" || strings.HasPrefix(d, "request.authorization."):
			o.cred = true
		case strings.HasPrefix(d, "request."):
			o.body = true
			if fn := n.Ancestor("function_definition"); fn != nil {
				o.readers = append(o.readers, fn)
			}
		default:
			ps.originOf(n.ChildByField("object"), depth+1, o)
		}
	case "subscript":
		ps.originOf(n.ChildByField("value"), depth+1, o)
	case "call":
		fn := n.ChildByField("function")
		if fn == nil {
			return
		}
		if fn.Kind == "attribute" {
			switch a := fn.ChildByField("attribute").Text(); a {
			case "get_json", "get_data":
				ps.originOf(fn.ChildByField("object"), depth+1, o)
				if o.body {
					return
				}
				fallthrough
			case "get", "getlist", "split", "rsplit", "strip", "lstrip", "rstrip", "replace", "removeprefix", "partition",
				"rpartition", "encode", "decode", "lower", "pop":
				ps.originOf(fn.ChildByField("object"), depth+1, o)
				return
			}
		}
		switch fn.Text() {
		case "str", "bytes", "json.loads", "base64.b64decode", "base64.urlsafe_b64decode":
			for _, a := range n.ChildByField("arguments").NamedChildren() {
				ps.originOf(a, depth+1, o)
			}
			return
		}
		if def := calleeDef(ps.Project, ps.Project.ModuleOf(n), n); def != nil && n.Ancestor("function_definition") != def {
			def.ChildByField("body").Walk(func(r *python.Node) bool {
				if r.Kind == "function_definition" {
					return false
				}
				if r.Kind == "return_statement" {
					if v := r.NamedChildren(); len(v) > 0 {
						ps.originOf(v[0], depth+1, o)
					}
				}
				return true
			})
		}
	case "identifier":
		fn := n.Ancestor("function_definition")
		if fn == nil {
			return
		}
		for _, rhs := range append(allAssigns(fn, n.Text()), unpackAssigns(fn, n.Text())...) {
			if rhs != nil && !rhs.Contains(n) && rhs.Start < n.Start {
				ps.originOf(rhs, depth+1, o)
			}
		}
		if fn == flask.ParamOf(n) {
			if isVerifyCallback(fn) || isAuthCallback(fn) || ps.reachSet().callbacks[fn] {
				o.cred = true
				return
			}
			for _, cs := range ps.callSites(fn) {
				if a := cs.Arg(fn, n.Text()); a != nil {
					ps.originOf(a, depth+1, o)
				}
			}
		}
	case "list_comprehension", "generator_expression":
		for _, c := range n.NamedChildren() {
			if c.Kind == "for_in_clause" {
				ps.originOf(c.ChildByField("right"), depth+1, o)
			}
		}
	case "tuple", "expression_list", "binary_operator", "boolean_operator", "conditional_expression":
		for _, c := range n.NamedChildren() {
			ps.originOf(c, depth+1, o)
		}
	}
}

// authenticatesOtherwise: the function that reads a body token also
// authenticates its caller by another credential: it reads a header a
// cross-site page cannot set, a cookie or request.authorization, or its
// route carries an authentication decorator or hook.
func (ps *Pass) authenticatesOtherwise(fn *python.Node) bool {
	found := false
	fn.Walk(func(x *python.Node) bool {
		if found {
			return false
		}
		switch x.Kind {
		case "attribute":
			d := strings.TrimPrefix(x.DottedName(), "flask.")
			found = d == "request.authorization" || d == "request.cookies"
		case "call":
			if f := x.ChildByField("function"); f != nil && f.Kind == "attribute" && f.ChildByField("attribute").Text() == "get" {
				found = ownContainer(ps.Project, f.ChildByField("object"), positional(x, 0))
			}
		case "subscript":
			found = ownContainer(ps.Project, x.ChildByField("value"), x.ChildByField("subscript"))
		}
		return !found
	})
	if found {
		return true
	}
	for _, rt := range ps.Project.Routes {
		if rt.Def != fn {
			continue
		}
		for _, a := range rt.Auth {
			if a.Via == "decorator" || a.Via == "hook" || a.Via == "spec" {
				return true
			}
		}
	}
	return false
}

// callerClaims is the evidence that a decode weakened by its options
// gates the caller: the request path to it (entry), the request token
// (source), the decode (step) and the identity or authorization decision
// its claims reach (sink). use is the expression whose value is the
// claims (the decode, or the project helper given the options). nil when
// a part is missing: the token is not request data (back-channel, the
// app's own client token), or it is the object of a request whose caller
// authenticates otherwise and its claims never become the caller's
// identity.
func (ps *Pass) callerClaims(use, tok *python.Node, note string) []finding.Step {
	entry := ps.requestHandling(use)
	if entry == nil || tok == nil || !ps.requestDerived(tok, 0) {
		return nil
	}
	var o tokenOrigin
	ps.originOf(tok, 0, &o)
	object := !o.cred && o.body
	for _, fn := range o.readers {
		object = object && ps.authenticatesOtherwise(fn)
	}
	var sink []finding.Step
	if object {
		sink = ps.follow(ps.flows.caller, use, 0)
	} else {
		sink = ps.identityUse(use, 0)
	}
	if sink == nil {
		return nil
	}
	flow := append(entry, step(tok, "source", "the caller's token comes from the request"))
	flow = append(flow, step(use, "step", note))
	return append(flow, sink...)
}

// callerSink is the identity sink for a token the request is about: only
// its claims stored as the request's identity (g, session, current_user)
// or returned as it by a request handler or auth callback count; reading
// a claim to compare it with the caller's, or to log or denylist it,
// decides nothing about the caller.
func callerSink(ps *Pass, cur, par *python.Node, depth int) ([]finding.Step, bool) {
	switch par.Kind {
	case "subscript":
		if cur.Field() != "value" {
			return nil, true
		}
		if k, ok := par.ChildByField("subscript").StringValue(); ok && metadataClaims[k] {
			return nil, true
		}
		return ps.follow(ps.flows.caller, par, depth+1), true
	case "attribute":
		if cur.Field() == "object" && par.ChildByField("attribute").Text() == "get" && par.Parent != nil && par.Parent.Kind == "call" {
			if k, ok := positional(par.Parent, 0).StringValue(); ok && metadataClaims[k] {
				return nil, true
			}
			return ps.follow(ps.flows.caller, par.Parent, depth+1), true
		}
		return nil, true
	case "assignment":
		if cur.Field() != "right" {
			return nil, true
		}
		if d := par.ChildByField("left").DottedName(); strings.HasPrefix(d, "g.") || strings.HasPrefix(d, "flask.g.") ||
			strings.HasPrefix(d, "session") || strings.Contains(d, "current_user") {
			return []finding.Step{step(par, "sink", "stored as the request's identity ("+d+")")}, true
		}
	}
	return nil, false
}

// routeDecoratorOption: options written in a route's decorator configure
// the check that authenticates that route's caller
// (@guarded(verifier(options={"verify_exp": False}))).
func (ps *Pass) routeDecoratorOption(d *python.Node) []finding.Step {
	dec := d.Ancestor("decorator")
	if dec == nil || dec.Parent == nil {
		return nil
	}
	def := dec.Parent.ChildByField("definition")
	if def == nil || def.Kind != "function_definition" || !ps.reachSet().handlers[def] {
		return nil
	}
	entry := ps.requestHandling(def.ChildByField("body"))
	if entry == nil {
		return nil
	}
	return append(entry, step(dec, "sink", "the options configure the check that authenticates this route's caller"))
}
