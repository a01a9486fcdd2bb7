package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Params lists a function's parameter names in order.
// ParamDefault returns the default value of a parameter, or nil.
func ParamDefault(fn *python.Node, name string) *python.Node {
	for _, prm := range fn.ChildByField("parameters").NamedChildren() {
		if (prm.Kind == "default_parameter" || prm.Kind == "typed_default_parameter") && prm.ChildByField("name").Text() == name {
			return prm.ChildByField("value")
		}
	}
	return nil
}

func Params(fn *python.Node) []string {
	var out []string
	for _, prm := range fn.ChildByField("parameters").NamedChildren() {
		switch prm.Kind {
		case "identifier":
			out = append(out, prm.Text())
		case "default_parameter", "typed_default_parameter":
			out = append(out, prm.ChildByField("name").Text())
		case "typed_parameter":
			if c := prm.NamedChildren(); len(c) > 0 {
				out = append(out, c[0].Text())
			}
		default:
			out = append(out, "")
		}
	}
	return out
}

// ParamOf returns the function whose parameter n names (the nearest
// enclosing one, closures included), or nil.
func ParamOf(n *python.Node) *python.Node {
	if n == nil || n.Kind != "identifier" {
		return nil
	}
	for fn := n.Ancestor("function_definition"); fn != nil; fn = fn.Ancestor("function_definition") {
		if before, _ := localAssigns(fn, n.Text(), n.Start); before != nil {
			return nil
		}
		for _, name := range Params(fn) {
			if name == n.Text() {
				return fn
			}
		}
	}
	return nil
}

// CallSite is one call of a project function.
type CallSite struct {
	Call *python.Node
}

// CallSites returns the calls of fn anywhere in the project (resolved by
// name through imports).
func (p *Project) CallSites(fn *python.Node) []CallSite {
	if p.callIndex == nil {
		p.callIndex = map[string][]*python.Node{}
		for _, m := range p.Modules {
			for _, n := range m.File.OfKind("call") {
				f := n.ChildByField("function")
				d := f.DottedName()
				if d == "" && f.Kind == "attribute" {
					d = f.ChildByField("attribute").Text() // importlib.import_module(x).setup
				}
				last := d[strings.LastIndex(d, ".")+1:]
				if last != "" {
					p.callIndex[last] = append(p.callIndex[last], n)
				}
				// from x import init_app as oauth2_init_app: indexed
				// under the function's own name too.
				if imp, ok := m.Imports[d]; ok && imp.Name != "" && imp.Name != d {
					p.callIndex[imp.Name] = append(p.callIndex[imp.Name], n)
				}
			}
		}
	}
	key := siteKey{fn, p.modelling}
	if cs, ok := p.siteMemo[key]; ok {
		return cs
	}
	out := p.callSites(fn)
	if p.siteMemo == nil {
		p.siteMemo = map[siteKey][]CallSite{}
	}
	p.siteMemo[key] = out
	return out
}

// siteKey memoizes call sites per function and phase: while modelling,
// calls resolve through the abstract interpreter (loops of modules,
// importlib, methods of instances); rules see the calls by name only.
type siteKey struct {
	fn        *python.Node
	modelling bool
}

func (p *Project) callSites(fn *python.Node) []CallSite {
	name := fn.ChildByField("name").Text()
	var out []CallSite
	if outer := fn.Ancestor("function_definition"); outer != nil {
		// A nested function is called by name inside its enclosing one.
		outer.Walk(func(n *python.Node) bool {
			if n.Kind == "call" && n.ChildByField("function").Text() == name {
				out = append(out, CallSite{Call: n})
			}
			return true
		})
		return out
	}
	if !p.modelling {
		return p.namedSites(name)[fn]
	}
	for _, c := range p.callIndex[name] {
		for _, def := range p.calleeDefs(c.ChildByField("function"), Binding{}) {
			if def == fn {
				out = append(out, CallSite{Call: c})
				break
			}
		}
	}
	return p.dispatchedSites(fn, name, out)
}

// dispatchedSites adds the calls that reach a method by dispatch: a base
// class's self.name(...) runs the override of the instance's class
// (HTTPFrontend._create_app calling self._create_app_impl(app) runs each
// subclass's _create_app_impl), and a subclass's super().name(...) runs
// this class's method.
func (p *Project) dispatchedSites(fn *python.Node, name string, out []CallSite) []CallSite {
	cls := fn.Ancestor("class_definition")
	if cls == nil || len(Params(fn)) == 0 || Params(fn)[0] != "self" {
		return out
	}
	if own := cls.ChildByField("body"); own == nil || fn.Parent != own && (fn.Parent == nil || fn.Parent.Parent != own) {
		return out // a function nested in a method
	}
	have := map[*python.Node]bool{}
	for _, cs := range out {
		have[cs.Call] = true
	}
	chain := p.classChain(p.ModuleOf(cls), cls)
	for _, c := range p.callIndex[name] {
		f := c.ChildByField("function")
		if have[c] || f.Kind != "attribute" || f.ChildByField("attribute").Text() != name {
			continue
		}
		obj := f.ChildByField("object").Unparen()
		var caller *python.Node
		sup := false
		switch {
		case obj.Kind == "identifier":
			caller = selfClass(obj)
		case obj.Kind == "call" && obj.ChildByField("function").Text() == "super":
			if m := c.Ancestor("function_definition"); m != nil {
				caller = m.Ancestor("class_definition")
			}
			sup = true
		}
		if caller == nil {
			continue
		}
		if sup {
			// super().name() in a subclass of cls (not cls itself).
			if caller == cls {
				continue
			}
			for _, r := range p.classChain(p.ModuleOf(caller), caller)[1:] {
				if r.cls == cls {
					out = append(out, CallSite{Call: c})
					have[c] = true
					break
				}
			}
			continue
		}
		// self.name() in cls or one of its bases.
		for _, r := range chain {
			if r.cls == caller {
				out = append(out, CallSite{Call: c})
				have[c] = true
				break
			}
		}
	}
	return out
}

// Arg returns the argument a call site binds to parameter name of fn.
func (cs CallSite) Arg(fn *python.Node, name string) *python.Node {
	args := cs.Call.ChildByField("arguments")
	if v := keyword(args, name); v != nil {
		return v
	}
	for i, pn := range Params(fn) {
		if pn == name {
			return positional(args, i-cs.selfShift(fn))
		}
	}
	return nil
}

// selfShift is 1 when the call passes a method's self implicitly
// (obj.method(a) binds a to the second parameter).
func (cs CallSite) selfShift(fn *python.Node) int {
	ps := Params(fn)
	if len(ps) == 0 || ps[0] != "self" && ps[0] != "cls" || fn.Ancestor("class_definition") == nil {
		return 0
	}
	if f := cs.Call.ChildByField("function"); f == nil || f.Kind != "attribute" {
		return 0 // a plain name: not a bound method call
	}
	return 1
}

// Binding maps names to the expressions they stand for in one expansion
// of a route factory (a parameter bound at a call site, a loop variable
// bound to one element).
type Binding struct {
	Names map[string]*python.Node
	// Site is the call that made this expansion (where the route is
	// declared, for a route factory).
	Site *python.Node
	// Loop binds the variables of the for statement Scope around Site to
	// one element of its list.
	Loop  map[string]*python.Node
	Scope *python.Node
	// Vals are names the loop body assigned before Site, evaluated for
	// this element (prefix = "/event" + prefix; prefix += "/manage"); an
	// Unknown value stands for a name assigned in a branch not decided.
	Vals map[string]Value
	// Fn is the function whose parameters Names binds.
	Fn *python.Node
	// Item is the element of a literal list the Loop binding came from
	// (a row of a route table: its own registration).
	Item *python.Node
	// Star names Fn's *args parameter and Extra the arguments the call
	// passes into it.
	Star  string
	Extra []*python.Node
	// Kwargs are the keyword arguments the call passes into Fn's
	// **kwargs, forwarded by a **kwargs splat (methods=, endpoint=).
	Kwargs map[string]*python.Node
}

// keywordIn is a keyword argument of args, or one forwarded to it
// through **kwargs from the call b expands.
func keywordIn(args *python.Node, name string, b Binding) *python.Node {
	if v := keyword(args, name); v != nil {
		return v
	}
	for _, a := range args.NamedChildren() {
		if a.Kind == "dictionary_splat" && b.Kwargs != nil {
			return b.Kwargs[name]
		}
	}
	return nil
}

// Bindings expands the parameters of fn over its call sites, and loop
// variables used as arguments over the elements of their (constant) list.
func (p *Project) Bindings(fn *python.Node, depth int) []Binding {
	if depth > 3 {
		return nil
	}
	var out []Binding
	for _, cs := range p.CallSites(fn) {
		b := Binding{Names: map[string]*python.Node{}, Site: cs.Call, Fn: fn}
		for _, name := range Params(fn) {
			if a := cs.Arg(fn, name); a != nil {
				b.Names[name] = a
			}
		}
		out = append(out, p.expandLoops(b, cs.Call)...)
	}
	return out
}

// expandLoops replaces arguments that are variables of an enclosing
// "for a, b in LIST" by each element's parts.
func (p *Project) expandLoops(b Binding, at *python.Node) []Binding {
	for a := at.Parent; a != nil && a.Kind != "function_definition"; a = a.Parent {
		if a.Kind != "for_statement" {
			continue
		}
		targets := loopTargets(a.ChildByField("left"))
		list := p.Eval(a.ChildByField("right"))
		if list.Kind != List {
			continue
		}
		var out []Binding
		for _, item := range list.Items {
			nb := Binding{Names: map[string]*python.Node{}, Site: b.Site, Loop: map[string]*python.Node{}, Scope: a, Fn: b.Fn, Item: item.Node}
			for i, t := range targets {
				switch {
				case len(targets) == 1:
					nb.Loop[t] = item.Node
				case item.Kind == List && i < len(item.Items):
					nb.Loop[t] = item.Items[i].Node
				}
			}
			for k, v := range b.Names {
				nb.Names[k] = v
				if v.Kind != "identifier" {
					continue
				}
				for i, t := range targets {
					if t != v.Text() {
						continue
					}
					switch {
					case len(targets) == 1:
						nb.Names[k] = item.Node
					case item.Kind == List && i < len(item.Items):
						nb.Names[k] = item.Items[i].Node
					}
				}
			}
			out = append(out, nb)
		}
		return out
	}
	return []Binding{b}
}

func loopTargets(left *python.Node) []string {
	left = left.Unparen()
	if left.Kind == "identifier" {
		return []string{left.Text()}
	}
	var out []string
	for _, c := range left.NamedChildren() {
		out = append(out, c.Text())
	}
	return out
}

// EvalIn evaluates n with the names of b bound.
func (p *Project) EvalIn(n *python.Node, b Binding) Value {
	prev := p.bound
	p.bound = &b
	defer func() { p.bound = prev }()
	return p.Eval(b.Resolve(n))
}

// Resolve returns the expression a bound name stands for, or n itself.
func (b Binding) Resolve(n *python.Node) *python.Node {
	if u := n.Unparen(); u != nil && u.Kind == "identifier" {
		if v, ok := b.Names[u.Text()]; ok && v != nil {
			return v
		}
	}
	return n
}
