package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// Module functions bound by name at run time: a module that gives itself
// attributes (setattr(sys.modules[__name__], name, fn), or globals()[name]
// = fn) over a constant list of names, directly, in a loop, or in a
// helper called with the list. connexion's operationIds (and other
// dotted names) may name such an attribute.

// boundByName returns the function module m binds to name at run time,
// with the module that defines it; nil when m binds no such name.
func (p *Project) boundByName(m *Module, name string) (*Module, *python.Node) {
	for _, call := range m.File.OfKind("call") {
		args := call.ChildByField("arguments").NamedChildren()
		if call.ChildByField("function").Text() != "setattr" || len(args) != 3 || !selfModule(args[0]) {
			continue
		}
		for _, b := range p.callBindings(call) {
			if v := p.EvalIn(args[1], b); v.Kind != Str || v.S != name {
				continue
			}
			fn := b.Resolve(args[2]).Unparen()
			if fn == nil {
				continue
			}
			if fm, def := p.ResolveFunc(p.ModuleOf(fn), fn.DottedName()); def != nil {
				return fm, def
			}
		}
	}
	for _, a := range m.File.OfKind("assignment") {
		l := a.ChildByField("left")
		if l == nil || l.Kind != "subscript" || l.ChildByField("value").Text() != "globals()" {
			continue
		}
		for _, b := range p.callBindings(a) {
			if v := p.EvalIn(l.ChildByField("subscript"), b); v.Kind != Str || v.S != name {
				continue
			}
			fn := b.Resolve(a.ChildByField("right")).Unparen()
			if fn == nil {
				continue
			}
			if fm, def := p.ResolveFunc(p.ModuleOf(fn), fn.DottedName()); def != nil {
				return fm, def
			}
		}
	}
	return nil, nil
}

// selfModule reports whether n is the module itself: sys.modules[__name__]
// or a name bound to it in the same function.
func selfModule(n *python.Node) bool {
	n = n.Unparen()
	if n == nil {
		return false
	}
	if n.Kind == "identifier" {
		if fn := n.Ancestor("function_definition"); fn != nil {
			if rhs := LocalAssign(fn, n.Text(), n.Start); rhs != nil {
				n = rhs.Unparen()
			}
		}
	}
	return n != nil && n.Kind == "subscript" && n.ChildByField("value").DottedName() == "sys.modules" &&
		n.ChildByField("subscript").Text() == "__name__"
}

// callBindings are the ways node n runs: once per call site of the
// function around it (its parameters bound), each per element of the
// loops around n; one empty binding at module level without loops.
func (p *Project) callBindings(n *python.Node) []Binding {
	fn := n.Ancestor("function_definition")
	if fn == nil {
		if bs, _ := p.loopExpansions(n); bs != nil {
			return bs
		}
		return []Binding{{}}
	}
	var out []Binding
	for _, b := range p.Bindings(fn, 0) {
		if bs, _ := p.loopExpansionsIn(n, b); bs != nil {
			out = append(out, bs...)
		} else {
			out = append(out, b)
		}
	}
	return out
}
