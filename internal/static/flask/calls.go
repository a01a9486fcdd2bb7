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
	var a callArgs
	a.add(call.ChildByField("arguments"))
	return a
}

// add appends the arguments of an argument list; kw is made at the first
// keyword (most calls have none, and reading a nil map finds nothing).
func (a *callArgs) add(args *python.Node) {
	kids := args.NamedChildren()
	if a.pos == nil && len(kids) > 0 {
		a.pos = make([]*python.Node, 0, len(kids))
	}
	for _, c := range kids {
		switch c.Kind {
		case "keyword_argument":
			if a.kw == nil {
				a.kw = map[string]*python.Node{}
			}
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

// frameworkParams names, in order, the parameters of the framework
// methods the model reads (Flask's and the extensions' signatures): an
// argument given by keyword (register_blueprint(blueprint=bp,
// url_prefix="/")) is the same argument as by position. Data, one row per
// method.
var frameworkParams = map[string][]string{
	"register_blueprint": {"blueprint"},
	"include_router":     {"router", "prefix"},
	"init_app":           {"app"},
	"add_namespace":      {"ns", "path"},
}

// arg is the i-th parameter of a framework method, given by position or
// by its name.
func (a callArgs) arg(method string, i int) *python.Node {
	if n := a.positional(i); n != nil {
		return n
	}
	if names := frameworkParams[method]; i < len(names) {
		return a.kw[names[i]]
	}
	return nil
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
// function by dotted name, or mod.func where mod is a module reached
// through a loop over a literal list of modules, a name bound to one, or
// importlib.import_module over constant names.
func (p *Project) calleeDefs(callee *python.Node, b Binding) []*python.Node {
	if len(b.Loop) > 0 || len(b.Names) > 0 {
		return p.calleeDefsIn(callee, b)
	}
	if defs, ok := p.calleeMemo[callee]; ok {
		return defs
	}
	if p.calleeMemo == nil {
		p.calleeMemo = map[*python.Node][]*python.Node{}
	}
	p.calleeMemo[callee] = nil // a cycle through the same callee resolves to nothing
	defs := p.calleeDefsIn(callee, b)
	p.calleeMemo[callee] = defs
	return defs
}

func (p *Project) calleeDefsIn(callee *python.Node, b Binding) []*python.Node {
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
	attr := callee.ChildByField("attribute").Text()
	var out []*python.Node
	for _, mm := range p.modulesOf(callee.ChildByField("object"), b, 0) {
		if def := mm.Funcs[attr]; def != nil {
			out = append(out, def)
		}
	}
	if len(out) == 0 {
		// ext.init_app(app) with ext = Extension(): the class's method.
		for _, c := range p.classesOf(callee.ChildByField("object")) {
			if _, def := classMember(p.classChain(c.mod, c.cls), attr); def != nil && def.Kind == "function_definition" {
				out = append(out, def)
			}
		}
	}
	return out
}

// modulesOf resolves an expression to the project modules it may be: an
// imported module, a loop variable over a literal list of them, a name
// bound to one, or importlib.import_module / __import__ of constant
// names (expanded over an enclosing loop's literal list).
func (p *Project) modulesOf(n *python.Node, b Binding, depth int) []*Module {
	n = n.Unparen()
	m := p.ModuleOf(n)
	if n == nil || m == nil || depth > 4 {
		return nil
	}
	switch n.Kind {
	case "identifier", "attribute":
		if mm := p.moduleFor(m, n.DottedName()); mm != nil && n.DottedName() != "" {
			return []*Module{mm}
		}
		if n.Kind != "identifier" {
			return nil
		}
		if b.Scope != nil && b.Scope.Contains(n) {
			if v, ok := b.Loop[n.Text()]; ok && v != nil {
				return p.modulesOf(v, Binding{}, depth+1)
			}
		}
		if loop := loopOver(n); loop != nil {
			var out []*Module
			if l := p.Eval(loop.ChildByField("right")); l.Kind == List {
				for _, it := range l.Items {
					out = append(out, p.modulesOf(it.Node, Binding{}, depth+1)...)
				}
			}
			return out
		}
		if rhs := p.nameRHS(m, n, n.Text(), 0); rhs != nil && rhs != n {
			return p.modulesOf(rhs, b, depth+1)
		}
	case "call":
		q := m.Qualify(n.ChildByField("function").DottedName())
		if q != "importlib.import_module" && q != "__import__" {
			return nil
		}
		arg := positional(n.ChildByField("arguments"), 0)
		var names []Value
		if len(b.Loop) > 0 || len(b.Names) > 0 || len(b.Vals) > 0 {
			names = append(names, p.EvalIn(arg, b))
		} else {
			for _, eb := range p.expandLoops(Binding{Site: n}, n) {
				names = append(names, p.EvalIn(arg, eb))
			}
		}
		var out []*Module
		for _, v := range names {
			if v.Kind != Str {
				continue
			}
			name := v.S
			if strings.HasPrefix(name, ".") {
				name = m.resolveRelative(name)
			}
			if mm := p.Module(name); mm != nil {
				out = append(out, mm)
			}
		}
		return out
	}
	return nil
}
