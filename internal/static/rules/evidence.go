package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// step is one place of a finding's flow.
func step(n *python.Node, role, note string) finding.Step {
	return finding.Step{Location: finding.Location{File: n.File.Path, Line: n.Line, Column: n.Col() + 1,
		Snippet: strings.TrimSpace(n.File.Line(n.Line))}, Role: role, Note: note}
}

// hasRole reports a flow step of the role.
func hasRole(flow []finding.Step, role string) bool {
	for _, s := range flow {
		if s.Role == role {
			return true
		}
	}
	return false
}

// reach is the request-handling part of the project: every function a
// route handler, a before_request hook, an auth decorator or an auth
// callback (Flask-Login loaders, Flask-HTTPAuth verifiers, JWT loaders)
// calls, to a bounded depth, with the call that reaches it.
type reach struct {
	// via maps a reached function to its caller's call node (nil for an
	// entry) and entry to its description.
	via   map[*python.Node]*python.Node
	entry map[*python.Node]finding.Step
	// handlers are the route view functions and view-class methods.
	handlers map[*python.Node]bool
	// callbacks are project functions handed to an auth decorator's
	// factory: it calls them with the request's credential.
	callbacks map[*python.Node]bool
}

// callbackDecorators mark functions the framework calls per request.
var callbackDecorators = map[string]bool{
	"verify_token": true, "verify_password": true, "get_password": true, "user_loader": true, "request_loader": true,
	"header_loader": true, "user_lookup_loader": true, "token_in_blocklist_loader": true, "additional_claims_loader": true,
	"before_request": true, "before_app_request": true, "token_loader": true, "errorhandler": false,
}

func (ps *Pass) reachSet() *reach {
	if ps.reach != nil {
		return ps.reach
	}
	p := ps.Project
	r := &reach{via: map[*python.Node]*python.Node{}, entry: map[*python.Node]finding.Step{}, handlers: map[*python.Node]bool{},
		callbacks: map[*python.Node]bool{}}
	ps.reach = r
	var queue []*python.Node
	add := func(def *python.Node, e finding.Step) {
		if def == nil || def.Kind != "function_definition" {
			return
		}
		if _, ok := r.via[def]; ok {
			return
		}
		r.via[def], r.entry[def] = nil, e
		queue = append(queue, def)
	}
	for _, rt := range p.Routes {
		e := finding.Step{Location: finding.Location{File: rt.File, Line: rt.Line}, Role: "entry",
			Note: "route " + strings.Join(rt.Methods, ",") + " " + rt.Rule + " (" + rt.Handler + ")"}
		add(rt.Def, e)
		if rt.Def != nil {
			r.handlers[rt.Def] = true
		}
		if rt.Class != nil {
			for _, d := range rt.Class.File.OfKind("function_definition") {
				if rt.Class.Contains(d) {
					add(d, e)
					r.handlers[d] = true
				}
			}
		}
		for _, a := range rt.Auth {
			if a.Node == nil {
				continue
			}
			ae := finding.Step{Location: finding.Location{File: a.File, Line: a.Line}, Role: "entry",
				Note: "auth " + a.Via + " " + a.Name + " on " + rt.Rule}
			if a.Node.Kind == "function_definition" {
				add(a.Node, ae)
				continue
			}
			d := a.Node
			if d.Kind == "call" {
				d = d.ChildByField("function")
			}
			if _, def := p.ResolveFunc(p.ModuleOf(a.Node), d.DottedName()); def != nil {
				add(def, ae)
			} else if fm, fc := factoryCall(p, p.ModuleOf(a.Node), d.DottedName(), 0); fc != nil {
				// process_auth = _auth_decorator(handlers=[validate_bearer]):
				// the factory builds the check and calls the handlers it is
				// given with the request's credential.
				if _, def := p.ResolveFunc(fm, fc.ChildByField("function").DottedName()); def != nil {
					add(def, ae)
				}
				for _, cb := range callbackArgs(p, fm, fc) {
					add(cb, ae)
					r.callbacks[cb] = true
				}
			}
		}
	}
	for _, h := range p.Hooks {
		add(h.Def, step(h.Def, "entry", "before_request hook "+h.Def.ChildByField("name").Text()))
	}
	for _, m := range p.Modules {
		for _, def := range m.File.OfKind("function_definition") {
			for _, d := range flask.Decorators(def) {
				if d.Kind == "call" {
					d = d.ChildByField("function")
				}
				if d.Kind == "attribute" && callbackDecorators[d.ChildByField("attribute").Text()] {
					add(def, step(def, "entry", "auth callback @"+d.Text()))
				}
			}
		}
	}
	// The same callbacks registered by a call: login_manager.request_loader(fn).
	for _, c := range ps.Calls {
		fn := c.Node.ChildByField("function")
		if fn.Kind != "attribute" || !callbackDecorators[fn.ChildByField("attribute").Text()] {
			continue
		}
		if a := positional(c.Node, 0); a != nil && (a.Kind == "identifier" || a.Kind == "attribute") {
			if _, def := p.ResolveFunc(p.ModuleOf(c.Node), a.DottedName()); def != nil {
				add(def, step(c.Node, "entry", "auth callback registered by "+oneLineText(c.Node.Text())))
			}
		}
	}
	for depth := 0; len(queue) > 0 && depth < 8; depth++ {
		next := queue
		queue = nil
		for _, def := range next {
			m := p.ModuleOf(def)
			def.Walk(func(x *python.Node) bool {
				switch x.Kind {
				case "function_definition":
					if x != def {
						// Closures (a decorator's wrapper) run when their
						// enclosing function's result is called.
						if _, ok := r.via[x]; !ok {
							r.via[x] = def
							queue = append(queue, x)
						}
					}
				case "call":
					callee := calleeDef(p, m, x)
					if callee != nil {
						if _, ok := r.via[callee]; !ok {
							r.via[callee] = x
							queue = append(queue, callee)
						}
					}
				}
				return true
			})
		}
	}
	return r
}

// calleeDef resolves a call to a project function: by name through
// imports, or self.method / cls.method within the enclosing class.
func calleeDef(p *flask.Project, m *flask.Module, call *python.Node) *python.Node {
	fn := call.ChildByField("function")
	if fn == nil {
		return nil
	}
	d := fn.DottedName()
	if strings.HasPrefix(d, "self.") || strings.HasPrefix(d, "cls.") {
		cls := call.Ancestor("class_definition")
		name := d[strings.Index(d, ".")+1:]
		if cls == nil || strings.Contains(name, ".") {
			return nil
		}
		for _, def := range cls.File.OfKind("function_definition") {
			if cls.Contains(def) && def.ChildByField("name").Text() == name && def.Ancestor("class_definition") == cls {
				return def
			}
		}
		return nil
	}
	if d == "" || m == nil {
		return nil
	}
	if _, def := p.ResolveFunc(m, d); def != nil {
		return def
	}
	// Class.method(...): a static or class method of a project class.
	if i := strings.LastIndexByte(d, '.'); i > 0 {
		if _, cls := p.ResolveClass(m, d[:i]); cls != nil {
			for _, def := range cls.File.OfKind("function_definition") {
				if cls.Contains(def) && def.Ancestor("class_definition") == cls && def.ChildByField("name").Text() == d[i+1:] {
					return def
				}
			}
		}
	}
	return nil
}

// requestHandling returns the path from an entry (route, hook, auth
// decorator or callback) to the function holding n, entry first, or nil
// when no request reaches that code.
func (ps *Pass) requestHandling(n *python.Node) []finding.Step {
	r := ps.reachSet()
	for def := n.Ancestor("function_definition"); def != nil; def = def.Ancestor("function_definition") {
		if _, ok := r.via[def]; !ok {
			continue
		}
		var calls []finding.Step
		cur := def
		for i := 0; i < 12; i++ {
			via := r.via[cur]
			if via == nil {
				e := r.entry[cur]
				if e.File == "" {
					e = step(cur, "entry", "request handler "+cur.ChildByField("name").Text())
				}
				out := []finding.Step{e}
				for j := len(calls) - 1; j >= 0; j-- {
					out = append(out, calls[j])
				}
				return out
			}
			if via.Kind == "call" {
				calls = append(calls, step(via, "step", "calls "+via.ChildByField("function").Text()))
			}
			cur = via.Ancestor("function_definition")
			if via.Kind == "function_definition" {
				cur = via
			}
			if cur == nil {
				break
			}
		}
		return []finding.Step{step(def, "entry", "reached from a request handler")}
	}
	return nil
}
