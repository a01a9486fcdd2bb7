package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

func (p *Project) collectRoutes() {
	wrappers := p.resourceWrappers()
	for _, m := range p.Modules {
		p.guardedFile("collecting routes", m.File, func() { p.collectRoutesIn(m, wrappers) })
	}
	for c := range p.templates {
		if d := p.declOf[c]; d != nil {
			d.Resolved = true
		}
	}
	p.collectExposed()
	p.collectConnexion()
	p.collectEndpointTables()
	p.curDecl = nil
	p.sortRoutes()
}

// collectRoutesIn collects the route-like registrations of one module.
func (p *Project) collectRoutesIn(m *Module, wrappers map[*python.Node]bool) {
	m.File.Visit(func(n *python.Node) {
		switch n.Kind {
		case "decorated_definition":
			def := n.ChildByField("definition")
			if def != nil {
				p.registeringDecorators(m, def)
			}
			switch {
			case def == nil:
			case def.Kind == "function_definition":
				p.decoratedRoutes(m, n, def)
			case def.Kind == "class_definition":
				p.decoratedClass(m, def)
			}
		case "call":
			fn := n.ChildByField("function")
			if fn != nil && fn.Kind == "call" && routeLike(fn) {
				p.routeByCall(m, n, fn) // app.route("/", methods=[...])(view)
				return
			}
			if fn == nil || fn.Kind != "attribute" {
				return
			}
			if p.overrideBody(n, fn.ChildByField("object")) {
				return // a Flask/Blueprint subclass's own method: a template
			}
			switch attr := fn.ChildByField("attribute").Text(); {
			case (attr == "add_url_rule" || attr == "add_resource") && p.registrationHelper(fn) != nil:
				p.declare(n)
				p.expandHelper(m, n, p.registrationHelper(fn))
			case attr == "route" && p.jsonAPIRoute(fn):
				p.declare(n)
				p.resource(m, n)
			case attr == "add_url_rule":
				p.declare(n)
				p.urlRule(m, n)
			case attr == "add_resource" && !hasURLArg(n):
				// dataset.add_resource(resource): no URL, not a route
			case attr == "add_resource" && p.moduleFor(m, fn.ChildByField("object").DottedName()) != nil:
				// toolkit.add_resource("assets", "ext"): a function of a
				// project module (an Api is an object, never a module)
			case attr == "add_resource":
				if wrappers[n.Ancestor("function_definition")] {
					return // the wrapper's call sites are the declarations
				}
				p.declare(n)
				p.resource(m, n)
			default:
				if wrapperNamed(wrappers, fn.ChildByField("attribute").Text()) {
					if o := p.ObjectAt(fn.ChildByField("object")); o != nil {
						p.declare(n)
						p.resource(m, n)
					}
				}
			}
		}
	}, "decorated_definition", "call")
}

// routeLike reports whether a decorator declares a route, resolvable or
// not: X.route(...), or X.get("/path") and the other verbs with a path.
func routeLike(d *python.Node) bool {
	if d.Kind != "call" {
		return false
	}
	fn := d.ChildByField("function")
	if fn == nil || fn.Kind != "attribute" {
		return false
	}
	switch verb := fn.ChildByField("attribute").Text(); {
	case verb == "route":
		return true
	case isRouteMethod(verb):
		// "" is a blueprint's own prefix (@bp.post("") under
		// url_prefix="/notes" serves POST /notes).
		a := positional(d.ChildByField("arguments"), 0)
		if s, ok := a.StringValue(); ok {
			return strings.HasPrefix(s, "/") || s == ""
		}
		// f"{PREFIX}/api/x", PREFIX + "/x": a path built from parts.
		return pathBuilt(a)
	}
	return false
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
	if o == nil || o.Kind == "api" || o.Kind == "restx" || o.Kind == "namespace" {
		return nil, ""
	}
	return o, verb
}

func (p *Project) decoratedRoutes(m *Module, dd, def *python.Node) {
	decs := Decorators(def)
	for i, d := range decs {
		if row := pluginDecorator(d); row != nil {
			p.declare(d)
			p.pluginRouteOf(m, def, d, row)
			continue
		}
		if !routeLike(d) {
			continue
		}
		p.declare(d)
		o, verb := p.routeDecorator(d)
		if o == nil {
			recv := d.ChildByField("function").ChildByField("object")
			if ro := p.ObjectAt(recv); ro != nil {
				p.unresolved("a route decorator of an Api on a function")
			} else {
				p.unresolved(p.receiverReason(recv))
			}
			continue
		}
		args := d.ChildByField("arguments")
		rule := p.evalRuleAssuming(func() Value {
			if v := p.evalRule(positional(args, 0)); v.Kind == Str {
				return v
			}
			return p.evalRule(keyword(args, "rule"))
		})
		if rule.Kind == Str {
			p.decoratedRoute(m, def, d, i, decs, o, verb, rule.S, Binding{})
			continue
		}
		// Routes declared inside a helper called with their prefix
		// (def _register(prefix): @bp.route(f"{prefix}/items") ...;
		// _register("/datasets/<id>")): one route per call site.
		why := "the rule is not a constant"
		if a := positional(args, 0); a != nil {
			why = "the rule `" + short(a.Text()) + "` is not a constant"
		}
		fnOuter := def.Parent.Ancestor("function_definition")
		if a := positional(args, 0); a != nil && (fnOuter == nil || len(Params(fnOuter)) == 0) {
			why += p.whyUnknown(a)
		}
		if fn := fnOuter; fn != nil && len(Params(fn)) > 0 {
			sites := p.Bindings(fn, 0)
			for _, b := range sites {
				if rv := p.evalRuleAssuming(func() Value { return p.EvalIn(positional(args, 0), b) }); rv.Kind == Str {
					p.decoratedRoute(m, def, d, i, decs, o, verb, rv.S, b)
				}
			}
			if len(sites) == 0 {
				why += ": it is built from parameters of " + fn.ChildByField("name").Text() + "(), which no project code calls by name"
			} else {
				why += ": no call of " + fn.ChildByField("name").Text() + "() gives it a constant value"
			}
		}
		p.unresolved(why)
	}
}

func (p *Project) methodsArg(args *python.Node) []string {
	return p.methodsArgIn(args, Binding{})
}

func (p *Project) methodsArgIn(args *python.Node, b Binding) []string {
	v := p.EvalIn(keywordIn(args, "methods", b), b)
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

// evalRule evaluates a URL rule; a rule passed through a project helper
// (org_scoped_rule("/login")) is what the helper's last return gives for
// that argument, the path its default configuration takes.
func (p *Project) evalRule(n *python.Node) Value {
	v := p.Eval(n)
	u := n.Unparen()
	if v.Kind == Str || u == nil || u.Kind != "call" {
		return v
	}
	_, def := p.ResolveFunc(p.ModuleOf(u), u.ChildByField("function").DottedName())
	if def == nil {
		return v
	}
	rets := returns(def)
	if len(rets) == 0 {
		return v
	}
	b := Binding{Names: map[string]*python.Node{}, Fn: def, Site: u}
	for _, name := range Params(def) {
		if a := (CallSite{Call: u}).Arg(def, name); a != nil {
			b.Names[name] = a
		}
	}
	return p.EvalIn(rets[len(rets)-1], b)
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
