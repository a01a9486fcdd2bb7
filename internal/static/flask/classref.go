package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// Classes named by computed expressions, for registrations whose view or
// resource class comes out of a table row:
//
//	def _load(module, name):
//	    mod = importlib.import_module(module)
//	    return getattr(mod, name, None)
//
//	for row in resources:                  # a table a call passes
//	    api.add_resource(_load(row["module"], row["class"]), row["url"])
//
// A name is followed to its assignment in the same function, a call of a
// project function to what it returns (its parameters bound to the
// values of the call's arguments, evaluated under the caller's binding),
// and getattr(MODULE, NAME) to the class NAME of each module MODULE may
// be (import_module over a computed name, a module the table names).

// classesAt resolves n under b to the project classes it may stand for.
func (p *Project) classesAt(n *python.Node, b Binding, depth int) []classRef {
	n = n.Unparen()
	if n == nil || depth > 6 {
		return nil
	}
	m := p.ModuleOf(n)
	if m == nil {
		return nil
	}
	switch n.Kind {
	case "identifier":
		name := n.Text()
		if b.Scope != nil && b.Scope.Contains(n) {
			if v, ok := b.Loop[name]; ok && v != nil && v != n {
				return p.classesAt(v, Binding{}, depth+1)
			}
		}
		if v, ok := b.Names[name]; ok && v != nil && v != n && b.Fn != nil && b.Fn.Contains(n) {
			return p.classesAt(v, Binding{}, depth+1)
		}
		if cm, cls := p.ResolveClass(m, name); cls != nil {
			return []classRef{{mod: cm, cls: cls}}
		}
		if fn := n.Ancestor("function_definition"); fn != nil {
			if rhs := LocalAssign(fn, name, n.Start); rhs != nil && rhs != n {
				return p.classesAt(rhs, b, depth+1)
			}
		}
	case "attribute":
		if cm, cls := p.ResolveClass(m, n.DottedName()); cls != nil {
			return []classRef{{mod: cm, cls: cls}}
		}
	case "call":
		args := n.ChildByField("arguments")
		if n.ChildByField("function").DottedName() == "getattr" {
			attr := p.EvalIn(positional(args, 1), b)
			if attr.Kind != Str {
				return nil
			}
			var out []classRef
			for _, mm := range p.modulesOf(positional(args, 0), b, 0) {
				if cm, cls := p.ResolveClass(mm, attr.S); cls != nil {
					out = append(out, classRef{mod: cm, cls: cls})
				}
			}
			return out
		}
		var out []classRef
		for _, def := range p.calleeDefs(n.ChildByField("function"), b) {
			cb := p.callBinding(def, n, b)
			for _, r := range returns(def) {
				out = append(out, p.classesAt(r, cb, depth+1)...)
			}
		}
		return out
	}
	return nil
}

// callBinding binds def's parameters for one call: to the constant value
// of the argument under the caller's binding b when it has one, else to
// the argument itself; a parameter the call leaves out takes its default.
func (p *Project) callBinding(def, call *python.Node, b Binding) Binding {
	cb := Binding{Names: map[string]*python.Node{}, Vals: map[string]Value{}, Fn: def, Scope: def, Site: call}
	cs := CallSite{Call: call}
	for _, name := range Params(def) {
		a := cs.Arg(def, name)
		if a == nil {
			a = ParamDefault(def, name)
			if a == nil {
				continue
			}
		}
		if v := p.EvalIn(a, b); v.Known() {
			cb.Vals[name] = v
		} else {
			cb.Names[name] = a
		}
	}
	return cb
}
