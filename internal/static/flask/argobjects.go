package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// Objects passed as arguments: a parameter is the object its call sites
// pass (init_app(app)), or the app a framework hands a typed or hooked
// parameter.

// paramIndex is the position of a plain parameter, or -1.
func paramIndex(fn *python.Node, name string) int {
	for i, prm := range fn.ChildByField("parameters").NamedChildren() {
		if prm.Kind == "identifier" && prm.Text() == name {
			return i
		}
		if c := prm.NamedChildren(); prm.Kind == "typed_parameter" && len(c) > 0 && c[0].Kind == "identifier" && c[0].Text() == name {
			return i
		}
	}
	return -1
}

// paramName is the name of fn's parameter at idx, as paramIndex counts.
func paramName(fn *python.Node, idx int) string {
	ps := fn.ChildByField("parameters").NamedChildren()
	if idx < 0 || idx >= len(ps) {
		return ""
	}
	if ps[idx].Kind == "identifier" {
		return ps[idx].Text()
	}
	if c := ps[idx].NamedChildren(); ps[idx].Kind == "typed_parameter" && len(c) > 0 && c[0].Kind == "identifier" {
		return c[0].Text()
	}
	return ""
}

// argObject resolves a function parameter to the object every call of the
// function passes in that position (init_app(app) / create_api(app)).
func (p *Project) argObject(m *Module, fn *python.Node, idx int) *Object {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	key := argKey{fn, idx}
	if o, ok := p.argMemo[key]; ok {
		return o
	}
	o := p.argObjectUncached(m, fn, idx)
	p.argMemo[key] = o
	return o
}

type argKey struct {
	fn  *python.Node
	idx int
}

func (p *Project) argObjectUncached(m *Module, fn *python.Node, idx int) *Object {
	if p.resolvingParams[fn] {
		return nil
	}
	p.resolvingParams[fn] = true
	defer delete(p.resolvingParams, fn)
	if idx == 0 {
		if os := p.selfInstances(fn); len(os) > 0 {
			return os[0] // self in an app subclass: the instance made of it
		}
	}
	var found *Object
	for _, cs := range p.CallSites(fn) {
		// The argument may be any expression that names an object: a
		// name, a parameter, or a call of a factory (standalone(create_app())).
		// A keyword argument names the parameter (register_views(blueprint=bp)).
		arg := positional(cs.Call.ChildByField("arguments"), idx-cs.selfShift(fn))
		if arg == nil {
			arg = keyword(cs.Call.ChildByField("arguments"), paramName(fn, idx))
		}
		if os := p.objectsAt(arg, Binding{}, 0); len(os) > 0 {
			found = os[0]
			break
		}
	}
	if found == nil {
		found = p.annotatedApp(m, fn, idx)
	}
	if found == nil {
		found = p.loaderArg(m, fn, idx)
	}
	return found
}
