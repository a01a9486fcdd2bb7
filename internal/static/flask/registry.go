package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// Registries that the project's own endpoint decorators fill, and the
// loops that register what they hold:
//
//	ROUTES = []
//
//	def expose(rule, methods=("GET",)):
//	    def mark(fn):
//	        fn.url_rule = rule
//	        ROUTES.append((rule, methods, fn))
//	        return fn
//	    return mark
//
//	@expose("/items")
//	def items(): ...
//
//	for rule, methods, view in ROUTES:
//	    app.add_url_rule(rule, view_func=view, methods=list(methods))
//
// The list holds one element per decoration: the appended expression
// with the factory's parameters bound to the decoration's arguments and
// the decorator's own parameter to the decorated function. An attribute
// a decorator stores on the function (fn.url_rule = rule) reads back as
// the decoration's argument (view.url_rule in the loop).

// maxRegistryItems bounds the elements synthesised for one registry.
const maxRegistryItems = 2000

// registryValue is the list the module-level name (bound to an empty
// list literal) holds once every decoration that appends to it has run;
// ok false when no decorator appends to it.
func (p *Project) registryValue(m *Module, name string, depth int) (Value, bool) {
	if p.registries == nil {
		p.registries = map[registryKey]*Value{}
	}
	key := registryKey{m, name}
	if v, ok := p.registries[key]; ok {
		if v == nil {
			return Value{}, false
		}
		return *v, true
	}
	p.registries[key] = nil // while it is being built
	var out []Value
	for _, fm := range p.Modules {
		for _, fac := range fm.File.OfKind("function_definition") {
			if fac.Ancestor("function_definition") != nil || fac.Ancestor("class_definition") != nil {
				continue
			}
			for _, app := range registryAppends(fm, fac, name) {
				if p.registryTarget(fm, app.list) != m {
					continue
				}
				out = append(out, p.decorationItems(fac, app, depth)...)
			}
		}
	}
	if len(out) == 0 {
		return Value{}, false
	}
	if len(out) > maxRegistryItems {
		out = out[:maxRegistryItems]
	}
	v := Value{Kind: List, Items: out}
	p.registries[key] = &v
	return v, true
}

type registryKey struct {
	mod  *Module
	name string
}

// registryAppend is one NAME.append(EXPR) in the nested decorator mark
// of a factory; param is mark's parameter (the decorated function).
type registryAppend struct {
	list, expr *python.Node
	mark       *python.Node
	param      string
}

// registryAppends are the appends to a list called name in the nested
// decorators of factory fac (def mark(fn): ... name.append(...)).
func registryAppends(m *Module, fac *python.Node, name string) []registryAppend {
	var out []registryAppend
	for _, st := range fac.ChildByField("body").NamedChildren() {
		if st.Kind == "decorated_definition" {
			st = st.ChildByField("definition")
		}
		if st == nil || st.Kind != "function_definition" || len(Params(st)) != 1 {
			continue
		}
		mark := st
		for _, c := range m.File.OfKind("call") {
			if !mark.Contains(c) || c.Ancestor("function_definition") != mark {
				continue
			}
			f := c.ChildByField("function")
			if f.Kind != "attribute" || f.ChildByField("attribute").Text() != "append" {
				continue
			}
			obj := f.ChildByField("object").Unparen()
			arg := positional(c.ChildByField("arguments"), 0)
			if obj.Kind != "identifier" || obj.Text() != name || arg == nil {
				continue
			}
			out = append(out, registryAppend{list: obj, expr: arg, mark: mark, param: Params(mark)[0]})
		}
	}
	return out
}

// registryTarget is the module whose global the appended list names (the
// factory's own, or one it imports the list from).
func (p *Project) registryTarget(m *Module, list *python.Node) *Module {
	name := list.Text()
	if _, ok := m.Assigns[name]; ok {
		return m
	}
	if imp, ok := m.Imports[name]; ok && imp.Name != "" {
		if mm := p.Module(imp.Module); mm != nil {
			return mm
		}
	}
	return nil
}

// decorationItems are the elements one append contributes: one per
// function decorated by a call of fac.
func (p *Project) decorationItems(fac *python.Node, app registryAppend, depth int) []Value {
	var out []Value
	for _, m := range p.Modules {
		for _, g := range m.File.OfKind("function_definition") {
			for _, d := range Decorators(g) {
				if d.Kind != "call" {
					continue
				}
				if _, def := p.ResolveFunc(m, d.ChildByField("function").DottedName()); def != fac {
					continue
				}
				out = append(out, p.boundItem(app.expr, fac, d, app.param, g, depth))
			}
		}
	}
	return out
}

// boundItem evaluates an appended expression for one decoration d of g:
// the factory's parameters are d's arguments (their nodes, so that loops
// bind names to them), the decorator's parameter is g's name.
func (p *Project) boundItem(expr, fac, d *python.Node, param string, g *python.Node, depth int) Value {
	e := expr.Unparen()
	switch e.Kind {
	case "tuple", "list":
		v := Value{Kind: List, Node: d}
		for _, c := range e.NamedChildren() {
			v.Items = append(v.Items, p.boundItem(c, fac, d, param, g, depth))
		}
		return v
	case "call": // tuple(methods), list(methods): the argument's elements
		if f := e.ChildByField("function").Text(); (f == "tuple" || f == "list") && len(e.ChildByField("arguments").NamedChildren()) == 1 {
			return p.boundItem(e.ChildByField("arguments").NamedChildren()[0], fac, d, param, g, depth)
		}
	case "identifier":
		if e.Text() == param {
			return Value{Node: g.ChildByField("name")}
		}
		if isParam(fac, e.Text()) {
			if a := (CallSite{Call: d}).Arg(fac, e.Text()); a != nil {
				v := p.eval(a, depth+1)
				v.Node = a
				return v
			}
			if dv := ParamDefault(fac, e.Text()); dv != nil {
				v := p.eval(dv, depth+1)
				v.Node = dv
				return v
			}
		}
	}
	return Value{Node: e}
}

// storedAttr is the value a project decorator of function g stores as
// attribute attr on it (fn.url_rule = rule, rule a parameter of the
// decorator's factory): the decoration's argument.
func (p *Project) storedAttr(g *python.Node, attr string, depth int) (Value, bool) {
	m := p.ModuleOf(g)
	for _, d := range Decorators(g) {
		if d.Kind != "call" {
			continue
		}
		_, fac := p.ResolveFunc(m, d.ChildByField("function").DottedName())
		if fac == nil || fac.Kind != "function_definition" {
			continue
		}
		for _, st := range fac.ChildByField("body").NamedChildren() {
			if st.Kind == "decorated_definition" {
				st = st.ChildByField("definition")
			}
			if st == nil || st.Kind != "function_definition" || len(Params(st)) != 1 {
				continue
			}
			target := Params(st)[0]
			for _, asg := range p.ModuleOf(fac).File.OfKind("assignment") {
				if !st.Contains(asg) || asg.Ancestor("function_definition") != st {
					continue
				}
				left := asg.ChildByField("left")
				if left.Kind != "attribute" || left.ChildByField("attribute").Text() != attr {
					continue
				}
				if o := left.ChildByField("object").Unparen(); o.Kind != "identifier" || o.Text() != target {
					continue
				}
				v := p.boundItem(asg.ChildByField("right"), fac, d, target, g, depth)
				if v.Known() {
					return v, true
				}
			}
		}
	}
	return Value{}, false
}
