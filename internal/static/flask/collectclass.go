package flask

// Routes declared on classes and the decorators and wrappers that register
// them: decorated view classes, registering decorators, Api wrappers,
// overridden framework methods.

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// decoratedClass adds the routes of a Resource class decorated with a
// flask-restx/restplus @api.route or @ns.route (several rules allowed).
func (p *Project) decoratedClass(m *Module, cls *python.Node) {
	for _, d := range Decorators(cls) {
		if d.Kind != "call" {
			continue
		}
		fn := d.ChildByField("function")
		if fn == nil || fn.Kind != "attribute" {
			continue
		}
		verb := fn.ChildByField("attribute").Text()
		if verb != "route" && verb != "resource" {
			continue
		}
		p.declare(d)
		o := p.ObjectAt(fn.ChildByField("object"))
		switch {
		case verb == "resource" && o != nil && o.Kind == "api": // Flask-RESTful @api.resource("/x")
		case verb == "route" && o != nil && (o.Kind == "restx" || o.Kind == "namespace"):
		case verb == "route" && o != nil && (o.Kind == "blueprint" || o.Kind == "app") && p.methodView(p.classChain(m, cls)):
			// @bp.route on a MethodView (flask-smorest's way; Flask's own
			// route registers the class too, with the methods it defines).
		case o == nil:
			p.unresolved(p.receiverReason(fn.ChildByField("object")))
			continue
		default:
			p.unresolved(fn.ChildByField("object").Text() + " is a " + o.Kind + ", not a flask-restx/Flask-RESTful Api or namespace")
			continue
		}
		args := d.ChildByField("arguments")
		ep := snake(cls.ChildByField("name").Text())
		switch o.Kind {
		case "namespace":
			ep = o.Name + "_" + ep
		case "api":
			ep = strings.ToLower(cls.ChildByField("name").Text())
		case "blueprint", "app":
			ep = cls.ChildByField("name").Text() // view_func.__name__
		}
		if v := p.Eval(keyword(args, "endpoint")); v.Kind == Str {
			ep = v.S
		}
		found := false
		for i := 0; ; i++ {
			u := positional(args, i)
			if u == nil {
				break
			}
			if v := p.Eval(u); v.Kind == Str {
				found = true
				p.classRoutes(m, cls, o, v.S, ep, nil, d, nil)
			}
		}
		if !found {
			p.unresolved("the rule is not a constant")
		}
	}
}

// snake turns "TodoList" into "todo_list" (flask-restx default endpoints).
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// resourceWrappers finds the methods of Api subclasses that pass their
// arguments on to self.add_resource (redash's add_org_resource): their
// calls declare resources like add_resource does.
func (p *Project) resourceWrappers() map[*python.Node]bool {
	out := map[*python.Node]bool{}
	for _, m := range p.Modules {
		for _, call := range m.File.OfKind("call") {
			fn := call.ChildByField("function")
			if fn == nil || fn.Kind != "attribute" || fn.ChildByField("attribute").Text() != "add_resource" ||
				fn.ChildByField("object").Text() != "self" {
				continue
			}
			def := call.Ancestor("function_definition")
			cls := call.Ancestor("class_definition")
			if def == nil || cls == nil || !cls.Contains(def) {
				continue
			}
			if k := p.objectKind(m, cls.ChildByField("name").Text()); k == "api" || k == "restx" {
				out[def] = true
			}
		}
	}
	return out
}

func wrapperNamed(w map[*python.Node]bool, name string) bool {
	for def := range w {
		if def.ChildByField("name").Text() == name {
			return true
		}
	}
	return false
}

// registeringDecorators expands the project decorators on def that
// register it (see decoratorRegistration).
func (p *Project) registeringDecorators(m *Module, def *python.Node) {
	for _, d := range Decorators(def) {
		if d.Kind == "identifier" || d.Kind == "attribute" {
			// @rest_resource: a project function registering its argument.
			if _, fn := p.ResolveFunc(m, d.DottedName()); fn != nil && fn.Kind == "function_definition" {
				p.bareRegistration(m, d, fn, def)
			}
			continue
		}
		if d.Kind != "call" || routeLike(d) {
			continue
		}
		if _, fac := p.ResolveFunc(m, d.ChildByField("function").DottedName()); fac != nil {
			p.decoratorRegistration(m, d, fac, def)
		}
	}
}

// overrideBody reports whether a registration call on self or super()
// sits in a method of a project subclass of Flask, Blueprint or Api (a
// route/add_url_rule override): the override's body is a template, its
// callers are the registrations.
func (p *Project) overrideBody(call, recv *python.Node) bool {
	r := recv.Unparen()
	isSelf := r != nil && (selfClass(r) != nil || r.Kind == "call" && r.ChildByField("function").Text() == "super")
	if !isSelf {
		return false
	}
	cls := call.Ancestor("class_definition")
	m := p.ModuleOf(call)
	if cls == nil || m == nil {
		return false
	}
	// The outermost method inside the class: an override of Flask's own
	// registration API (self.add_url_rule in __init__ registers for real).
	var method *python.Node
	for f := call.Ancestor("function_definition"); f != nil && cls.Contains(f); f = f.Ancestor("function_definition") {
		method = f
	}
	if method == nil {
		return false
	}
	switch method.ChildByField("name").Text() {
	case "route", "add_url_rule", "get", "post", "put", "patch", "delete", "add_resource", "resource":
	default:
		return false
	}
	return p.classKind(m, cls) != "" || p.setupState(m, cls)
}

// setupState reports whether cls subclasses Flask's BlueprintSetupState,
// whose add_url_rule is the framework's: an override of it is a template
// the blueprint's registrations go through, not a registration.
func (p *Project) setupState(m *Module, cls *python.Node) bool {
	for _, c := range p.classChain(m, cls) {
		for _, b := range c.cls.ChildByField("superclasses").NamedChildren() {
			switch c.mod.Qualify(b.DottedName()) {
			case "flask.blueprints.BlueprintSetupState", "flask.sansio.blueprints.BlueprintSetupState", "flask.BlueprintSetupState":
				return true
			}
		}
	}
	return false
}
