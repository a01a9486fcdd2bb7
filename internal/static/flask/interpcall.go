package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// value evaluates an expression of the run; a call of a project function
// or of a classmethod of the class cls names is run for its return value.
func (in *interp) value(n, fn *python.Node, base Binding, env map[string]Value, depth int) Value {
	if !in.p.enter() {
		return Value{}
	}
	defer in.p.leave()
	p := in.p
	b := frame(fn, base, env)
	u := n.Unparen()
	if u != nil && u.Kind == "call" && depth < 4 {
		if def, nb, ok := in.callee(u, b); ok {
			sub := &interp{p: p, steps: in.steps}
			senv := map[string]Value{}
			sub.block(def.ChildByField("body"), def, nb, senv, depth+1)
			in.steps = sub.steps
			if v, ok := senv["\x00return"]; ok && sub.failed == "" {
				return v
			}
			return Value{Node: u}
		}
	}
	return p.EvalIn(n, b)
}

// callee resolves a call to a project function (or a method of the class
// a cls/self parameter is bound to) and binds its parameters to the
// call's arguments, evaluated now.
func (in *interp) callee(call *python.Node, b Binding) (*python.Node, Binding, bool) {
	p := in.p
	f := call.ChildByField("function")
	var def *python.Node
	var clsArg *python.Node
	switch f.Kind {
	case "identifier":
		_, def = p.ResolveFunc(p.ModuleOf(call), f.Text())
	case "attribute":
		obj := b.Resolve(f.ChildByField("object")).Unparen()
		if obj == nil {
			return nil, Binding{}, false
		}
		if cm, cls := p.ResolveClass(p.ModuleOf(obj), obj.DottedName()); cls != nil {
			if _, d := classMember(p.classChain(cm, cls), f.ChildByField("attribute").Text()); d != nil && d.Kind == "function_definition" {
				def, clsArg = d, obj
			}
		}
	}
	if def == nil || def.Kind != "function_definition" {
		return nil, Binding{}, false
	}
	nb := Binding{Names: map[string]*python.Node{}, Fn: def, Site: call}
	params := Params(def)
	for _, name := range params {
		if a := (CallSite{Call: call}).Arg(def, name); a != nil {
			nb.Names[name] = a
		}
	}
	if clsArg != nil && len(params) > 0 && (params[0] == "cls" || params[0] == "self") {
		nb.Names[params[0]] = clsArg
	}
	return def, nb, true
}

// returnsIn reports whether st holds a return statement (outside nested
// functions).
func returnsIn(st *python.Node) bool {
	found := false
	st.Walk(func(c *python.Node) bool {
		switch c.Kind {
		case "function_definition", "class_definition", "lambda":
			return false
		case "return_statement":
			found = true
		}
		return !found
	})
	return found
}

// assignsOutside reports whether a statement skipped for want of a
// constant list changes a name the run already holds.
func assignsOutside(st *python.Node, env map[string]Value) bool {
	found := false
	st.Walk(func(c *python.Node) bool {
		if c.Kind == "assignment" || c.Kind == "augmented_assignment" {
			if l := c.ChildByField("left"); l != nil && l.Kind == "identifier" {
				if _, ok := env[l.Text()]; ok {
					found = true
				}
			}
		}
		if c.Kind == "call" {
			if f := c.ChildByField("function"); f != nil && f.Kind == "attribute" {
				if o := f.ChildByField("object"); o != nil && o.Kind == "identifier" {
					if _, ok := env[o.Text()]; ok {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}
