package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// callArgs are the arguments a call passes, with those a
// functools.partial bound first.
type callArgs struct {
	pos []*python.Node
	kw  map[string]*python.Node
}

func argsOf(call *python.Node) callArgs {
	a := callArgs{kw: map[string]*python.Node{}}
	a.add(call.ChildByField("arguments"))
	return a
}

func (a *callArgs) add(args *python.Node) {
	for _, c := range args.NamedChildren() {
		switch c.Kind {
		case "keyword_argument":
			a.kw[c.ChildByField("name").Text()] = c.ChildByField("value")
		case "list_splat", "dictionary_splat":
		default:
			a.pos = append(a.pos, c)
		}
	}
}

func (a callArgs) positional(i int) *python.Node {
	if i < len(a.pos) {
		return a.pos[i]
	}
	return nil
}

func (a callArgs) keyword(name string) *python.Node { return a.kw[name] }

// arg is the positional argument i, else the keyword name.
func (a callArgs) arg(i int, name string) *python.Node {
	if n := a.positional(i); n != nil {
		return n
	}
	return a.keyword(name)
}

// callee is what a call calls: the function expression, seen through a
// name bound to functools.partial(F, *args, **kw), whose bound arguments
// come first.
func (p *Project) callee(call *python.Node) (*python.Node, callArgs) {
	fn := call.ChildByField("function")
	args := argsOf(call)
	for depth := 0; depth < 4 && fn != nil; depth++ {
		var rhs *python.Node
		switch fn.Kind {
		case "identifier":
			rhs = p.nameRHS(p.ModuleOf(fn), fn, fn.Text(), 0)
		case "call":
			rhs = fn // partial(F, ...)(x)
		}
		part := rhs.Unparen()
		if part == nil || part.Kind != "call" || !p.isPartial(part) {
			break
		}
		bound := argsOf(part)
		if len(bound.pos) == 0 {
			break
		}
		merged := callArgs{pos: append(append([]*python.Node{}, bound.pos[1:]...), args.pos...), kw: map[string]*python.Node{}}
		for k, v := range bound.kw {
			merged.kw[k] = v
		}
		for k, v := range args.kw {
			merged.kw[k] = v
		}
		fn, args = bound.pos[0].Unparen(), merged
	}
	return fn, args
}

func (p *Project) isPartial(call *python.Node) bool {
	d := call.ChildByField("function").DottedName()
	if d == "" {
		return false
	}
	q := p.ModuleOf(call).Qualify(d)
	return q == "functools.partial" || d == "partial" && strings.HasSuffix(q, "partial")
}

// calleeDefs resolves the function a call's callee names: a project
// function by dotted name, or mod.func where mod is a loop variable over
// a literal list of modules (each element's function).
func (p *Project) calleeDefs(callee *python.Node, b Binding) []*python.Node {
	m := p.ModuleOf(callee)
	if m == nil {
		return nil
	}
	if _, def := p.ResolveFunc(m, callee.DottedName()); def != nil {
		return []*python.Node{def}
	}
	if callee.Kind != "attribute" {
		return nil
	}
	obj, attr := callee.ChildByField("object").Unparen(), callee.ChildByField("attribute").Text()
	if obj == nil || obj.Kind != "identifier" {
		return nil
	}
	var elems []*python.Node
	if b.Scope != nil && b.Scope.Contains(obj) {
		if v, ok := b.Loop[obj.Text()]; ok && v != nil {
			elems = []*python.Node{v}
		}
	}
	if elems == nil {
		if loop := loopOver(obj); loop != nil {
			if l := p.Eval(loop.ChildByField("right")); l.Kind == List {
				for _, it := range l.Items {
					elems = append(elems, it.Node)
				}
			}
		}
	}
	var out []*python.Node
	for _, e := range elems {
		if e == nil {
			continue
		}
		em := p.ModuleOf(e)
		if mm := p.moduleFor(em, e.DottedName()); mm != nil {
			if def := mm.Funcs[attr]; def != nil {
				out = append(out, def)
			}
			continue
		}
		if _, def := p.ResolveFunc(em, e.DottedName()+"."+attr); def != nil {
			out = append(out, def)
		}
	}
	return out
}
