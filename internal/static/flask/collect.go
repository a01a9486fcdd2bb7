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
	p.collectRouteLists()
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
			case attr == "add_api_route" || attr == "add_route" && p.routerAt(fn.ChildByField("object")):
				p.declare(n)
				p.apiRoute(m, n, attr)
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
	case isRouterVerb(verb):
		a := positional(d.ChildByField("arguments"), 0)
		if a == nil {
			a = keyword(d.ChildByField("arguments"), "path")
		}
		s, ok := a.StringValue()
		return !ok || strings.HasPrefix(s, "/") || s == ""
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
	if verb != "route" && !isRouteMethod(verb) && !isRouterVerb(verb) {
		return nil, ""
	}
	o := p.ObjectAt(fn.ChildByField("object"))
	if o == nil || o.Kind == "api" || o.Kind == "restx" || o.Kind == "namespace" || isRouterVerb(verb) && !o.Router {
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
			if o.Router {
				return p.evalRule(keyword(args, "path"))
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
