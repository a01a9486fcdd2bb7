package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// Parameters evaluated through their call sites while the model is built.

// paramValue is what a parameter holds when every call of its function
// agrees: the argument each call site binds (its default where a call
// leaves it out), evaluated at the call. A function nobody calls in the
// project holds its default.
func (p *Project) paramValue(fn *python.Node, name string, depth int) Value {
	if !p.enter() {
		return Value{}
	}
	defer p.leave()
	key := paramKey{fn, name}
	if v, ok := p.paramMemo[key]; ok {
		return v
	}
	if p.paramMemo == nil {
		p.paramMemo = map[paramKey]Value{}
	}
	p.paramMemo[key] = Value{} // breaks recursion through the same parameter
	prev := p.bound
	p.bound = nil
	defer func() { p.bound = prev }()
	def := ParamDefault(fn, name)
	var out Value
	sites := p.CallSites(fn)
	var vals []Value
	for i, cs := range sites {
		a := cs.Arg(fn, name)
		if a == nil {
			a = def
		}
		v := p.eval(a, depth+1)
		vals = append(vals, v)
		if !v.Known() || i > 0 && !sameValue(out, v) {
			out = unionLists(vals, sites[i+1:], fn, name, def, p, depth)
			break
		}
		out = v
	}
	if len(sites) == 0 && def != nil {
		out = p.eval(def, depth+1)
	}
	p.paramMemo[key] = out
	return out
}

type paramKey struct {
	fn   *python.Node
	name string
}

func sameValue(a, b Value) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case Str:
		return a.S == b.S
	case Int:
		return a.I == b.I
	case Bool:
		return a.B == b.B
	case None:
		return true
	}
	return a.Node == b.Node
}

// unionLists is what call sites that disagree pass for a parameter when
// every one passes a list (tuple, set) or None: the union of the lists
// (create_app(blueprints=ALL) in one place, create_app() in another: the
// blueprints any app of the project registers). Anything else is
// unknown.
func unionLists(vals []Value, rest []CallSite, fn *python.Node, name string, def *python.Node, p *Project, depth int) Value {
	for _, cs := range rest {
		a := cs.Arg(fn, name)
		if a == nil {
			a = def
		}
		vals = append(vals, p.eval(a, depth+1))
	}
	out := Value{Kind: List}
	for _, v := range vals {
		switch v.Kind {
		case List:
			out.Items = append(out.Items, v.Items...)
			if out.Node == nil {
				out.Node = v.Node
			}
		case None:
		default:
			return Value{}
		}
	}
	if out.Node == nil {
		return Value{}
	}
	return out
}
