package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

func (p *Project) collectRoutes() {
	for _, m := range p.Modules {
		m.File.Root.Walk(func(n *python.Node) bool {
			switch n.Kind {
			case "decorated_definition":
				if def := n.ChildByField("definition"); def != nil && def.Kind == "function_definition" {
					p.decoratedRoutes(m, n, def)
				}
			case "call":
				fn := n.ChildByField("function")
				if fn == nil || fn.Kind != "attribute" {
					return true
				}
				switch fn.ChildByField("attribute").Text() {
				case "add_url_rule":
					p.urlRule(m, n)
				case "add_resource":
					p.resource(m, n)
				}
			}
			return true
		})
	}
	p.sortRoutes()
}

// Decorators returns the decorator expressions of a definition, top first.
func Decorators(def *python.Node) []*python.Node {
	dd := def.Parent
	if dd == nil || dd.Kind != "decorated_definition" {
		return nil
	}
	var out []*python.Node
	for _, c := range dd.NamedChildren() {
		if c.Kind == "decorator" {
			if e := c.NamedChildren(); len(e) > 0 {
				out = append(out, e[0])
			}
		}
	}
	return out
}

// routeDecorator returns the object and verb of "@X.route(...)"/"@X.get(...)".
func (p *Project) routeDecorator(d *python.Node) (*Object, string) {
	if d.Kind != "call" {
		return nil, ""
	}
	fn := d.ChildByField("function")
	if fn == nil || fn.Kind != "attribute" {
		return nil, ""
	}
	verb := fn.ChildByField("attribute").Text()
	if verb != "route" && !isRouteMethod(verb) {
		return nil, ""
	}
	o := p.ObjectAt(fn.ChildByField("object"))
	if o == nil || o.Kind == "api" {
		return nil, ""
	}
	return o, verb
}

func (p *Project) decoratedRoutes(m *Module, dd, def *python.Node) {
	decs := Decorators(def)
	name := def.ChildByField("name").Text()
	for i, d := range decs {
		o, verb := p.routeDecorator(d)
		if o == nil {
			continue
		}
		args := d.ChildByField("arguments")
		rule := p.Eval(positional(args, 0))
		if rule.Kind != Str {
			rule = p.Eval(keyword(args, "rule"))
		}
		if rule.Kind != Str {
			p.Warnings = append(p.Warnings, m.File.Path+":"+itoa(d.Line)+": route rule is not a constant; route skipped")
			continue
		}
		methods := []string{strings.ToUpper(verb)}
		if verb == "route" {
			methods = p.methodsArg(args)
		}
		endpoint := name
		if ep := p.Eval(keyword(args, "endpoint")); ep.Kind == Str {
			endpoint = ep.S
		}
		r := Route{Handler: name, File: m.File.Path, Line: def.Line, Def: def, Decl: d}
		for j, other := range decs {
			if ob, _ := p.routeDecorator(other); ob != nil {
				continue
			}
			if j > i {
				r.decorators = append(r.decorators, other)
			} else {
				r.LateDecorators = append(r.LateDecorators, other)
			}
		}
		p.addRoute(o, rule.S, methods, endpoint, r)
	}
}

func (p *Project) methodsArg(args *python.Node) []string {
	v := p.Eval(keyword(args, "methods"))
	ss, ok := v.Strings()
	if !ok || v.Kind != List || len(ss) == 0 {
		return []string{"GET"}
	}
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, strings.ToUpper(s))
	}
	return out
}

func (p *Project) urlRule(m *Module, call *python.Node) {
	fn := call.ChildByField("function")
	o := p.ObjectAt(fn.ChildByField("object"))
	if o == nil || o.Kind == "api" {
		return
	}
	args := call.ChildByField("arguments")
	rule := p.Eval(positional(args, 0))
	if rule.Kind != Str {
		rule = p.Eval(keyword(args, "rule"))
	}
	if rule.Kind != Str {
		return
	}
	view := positional(args, 2)
	if view == nil {
		view = keyword(args, "view_func")
	}
	endpoint := p.Eval(positional(args, 1))
	if endpoint.Kind != Str {
		endpoint = p.Eval(keyword(args, "endpoint"))
	}
	var wraps []*python.Node
	for view != nil && view.Kind == "call" {
		vf := view.ChildByField("function")
		if vf.Kind == "attribute" && vf.ChildByField("attribute").Text() == "as_view" {
			break
		}
		wraps = append(wraps, vf)
		view = positional(view.ChildByField("arguments"), 0)
	}
	if view == nil {
		return
	}
	if view.Kind == "call" { // Cls.as_view("name")
		clsName := view.ChildByField("function").ChildByField("object").DottedName()
		cm, cls := p.ResolveClass(m, clsName)
		if cls == nil {
			return
		}
		ep := p.strArg(view.ChildByField("arguments"), 0, "name")
		if endpoint.Kind == Str {
			ep = endpoint.S
		}
		var only []string
		if keyword(args, "methods") != nil {
			only = p.methodsArg(args)
		}
		p.classRoutes(cm, cls, o, rule.S, ep, only, call, wraps)
		return
	}
	vm, def := p.ResolveFunc(m, view.DottedName())
	if def == nil {
		return
	}
	ep := def.ChildByField("name").Text()
	if endpoint.Kind == Str {
		ep = endpoint.S
	}
	r := Route{Handler: ep, File: vm.File.Path, Line: def.Line, Def: def, Decl: call,
		decorators: append(wraps, Decorators(def)...)}
	r.Handler = def.ChildByField("name").Text()
	p.addRoute(o, rule.S, p.methodsArg(args), ep, r)
}

func (p *Project) resource(m *Module, call *python.Node) {
	fn := call.ChildByField("function")
	o := p.ObjectAt(fn.ChildByField("object"))
	if o == nil || o.Kind != "api" {
		return
	}
	args := call.ChildByField("arguments")
	cm, cls := p.ResolveClass(m, positional(args, 0).DottedName())
	if cls == nil {
		return
	}
	ep := strings.ToLower(cls.ChildByField("name").Text())
	if v := p.Eval(keyword(args, "endpoint")); v.Kind == Str {
		ep = v.S
	}
	for i := 1; ; i++ {
		u := positional(args, i)
		if u == nil {
			break
		}
		if v := p.Eval(u); v.Kind == Str {
			p.classRoutes(cm, cls, o, v.S, ep, nil, call, nil)
		}
	}
}
