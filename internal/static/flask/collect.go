package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

func (p *Project) collectRoutes() {
	wrappers := p.resourceWrappers()
	for _, m := range p.Modules {
		m.File.Visit(func(n *python.Node) {
			switch n.Kind {
			case "decorated_definition":
				switch def := n.ChildByField("definition"); {
				case def == nil:
				case def.Kind == "function_definition":
					p.decoratedRoutes(m, n, def)
				case def.Kind == "class_definition":
					p.decoratedClass(m, def)
				}
			case "call":
				fn := n.ChildByField("function")
				if fn == nil || fn.Kind != "attribute" {
					return
				}
				switch attr := fn.ChildByField("attribute").Text(); {
				case (attr == "add_url_rule" || attr == "add_resource") && p.registrationHelper(fn) != nil:
					p.declare(n)
					p.expandHelper(m, n, p.registrationHelper(fn))
				case attr == "add_url_rule":
					p.declare(n)
					p.urlRule(m, n)
				case attr == "add_resource" && !hasURLArg(n):
					// dataset.add_resource(resource): no URL, not a route
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
	for c := range p.templates {
		if d := p.declOf[c]; d != nil {
			d.Resolved = true
		}
	}
	p.collectExposed()
	p.collectConnexion()
	p.curDecl = nil
	p.sortRoutes()
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
		s, ok := positional(d.ChildByField("arguments"), 0).StringValue()
		return ok && strings.HasPrefix(s, "/")
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
	name := def.ChildByField("name").Text()
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
		rule := p.evalRule(positional(args, 0))
		if rule.Kind != Str {
			rule = p.evalRule(keyword(args, "rule"))
		}
		if rule.Kind != Str {
			p.unresolved("the rule is not a constant")
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
	return p.methodsArgIn(args, Binding{})
}

func (p *Project) methodsArgIn(args *python.Node, b Binding) []string {
	v := p.EvalIn(keyword(args, "methods"), b)
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
	if o == nil {
		p.unresolved(p.receiverReason(fn.ChildByField("object")))
		return
	}
	if o.Kind == "api" || o.Kind == "restx" || o.Kind == "namespace" {
		p.unresolved("add_url_rule on a Flask-RESTful/flask-restx Api is not followed")
		return
	}
	args := call.ChildByField("arguments")
	ruleN := positional(args, 0)
	if ruleN == nil {
		ruleN = keyword(args, "rule")
	}
	if p.evalRule(ruleN).Kind == Str {
		p.urlRuleWith(m, call, o, Binding{})
		return
	}
	// A route factory: def route(path, view, name): app.add_url_rule(...),
	// or def register_view(bp, routes, view_func): for r in routes: ...
	factory, loop := ParamOf(ruleN.Unparen()), (*python.Node)(nil)
	if factory == nil && ruleN.Unparen() != nil && ruleN.Unparen().Kind == "identifier" {
		if loop = loopOver(ruleN.Unparen()); loop != nil {
			factory = ParamOf(loop.ChildByField("right").Unparen())
		}
	}
	if factory != nil {
		p.expandFactory(m, call, fn.ChildByField("object"), factory, loop)
		return
	}
	p.unresolved("the rule `" + short(ruleN.Text()) + "` is not a constant")
}

func (p *Project) urlRuleWith(m *Module, call *python.Node, o *Object, b Binding) {
	args := call.ChildByField("arguments")
	rule := p.EvalIn(positional(args, 0), b)
	if rule.Kind != Str && len(b.Names) == 0 {
		rule = p.evalRule(positional(args, 0))
	}
	if rule.Kind != Str {
		rule = p.EvalIn(keyword(args, "rule"), b)
	}
	if rule.Kind != Str {
		return
	}
	view := positional(args, 2)
	if view == nil {
		view = keyword(args, "view_func")
	}
	endpoint := p.EvalIn(positional(args, 1), b)
	if endpoint.Kind != Str {
		endpoint = p.EvalIn(keyword(args, "endpoint"), b)
	}
	var wraps []*python.Node
	view = p.viewExpr(b.Resolve(view))
	for view != nil && view.Kind == "call" {
		vf := view.ChildByField("function")
		if vf.Kind == "attribute" && vf.ChildByField("attribute").Text() == "as_view" {
			break
		}
		wraps = append(wraps, vf)
		view = p.viewExpr(b.Resolve(positional(view.ChildByField("arguments"), 0)))
	}
	if view == nil {
		p.unresolved("no view function")
		return
	}
	methods := p.methodsArgIn(args, b)
	if view.Kind == "call" { // Cls.as_view("name")
		clsNode := b.Resolve(view.ChildByField("function").ChildByField("object"))
		clsName := clsNode.DottedName()
		cm, cls := p.ResolveClass(p.ModuleOf(clsNode), clsName)
		if cls == nil {
			p.unresolved("view class " + clsName + " not found")
			return
		}
		ep := p.strArg(view.ChildByField("arguments"), 0, "name")
		if endpoint.Kind == Str {
			ep = endpoint.S
		}
		var only []string
		if keyword(args, "methods") != nil {
			only = methods
		}
		p.classRoutes(cm, cls, o, rule.S, ep, only, call, wraps)
		return
	}
	var def *python.Node
	vm := p.ModuleOf(view)
	handler := ""
	switch view.Kind {
	case "lambda":
		def = view
	default:
		vm, def = p.ResolveFunc(vm, view.DottedName())
		if def == nil {
			def = localFunc(view)
			vm = p.ModuleOf(def)
		}
	}
	if def == nil {
		p.unresolved("view function " + view.Text() + " not found")
		return
	}
	if def.Kind == "function_definition" {
		handler = def.ChildByField("name").Text()
	}
	ep := handler
	if endpoint.Kind == Str {
		ep = endpoint.S
	}
	if handler == "" {
		handler = ep
	}
	decl, line := call, def.Line
	if b.Site != nil {
		decl, line = b.Site, b.Site.Line
	}
	r := Route{Handler: handler, File: vm.File.Path, Line: line, Def: def, Decl: decl, decorators: wraps, binding: b}
	if def.Kind == "function_definition" {
		r.decorators = append(r.decorators, Decorators(def)...)
	}
	if b.Site != nil {
		r.File = p.ModuleOf(b.Site).File.Path
	}
	p.addRoute(o, rule.S, methods, ep, r)
}

// localFunc finds a function defined by name in the scope enclosing n.
func localFunc(n *python.Node) *python.Node {
	if n == nil || n.Kind != "identifier" {
		return nil
	}
	for fn := n.Ancestor("function_definition"); fn != nil; fn = fn.Ancestor("function_definition") {
		var found *python.Node
		for _, st := range fn.ChildByField("body").NamedChildren() {
			d := st
			if st.Kind == "decorated_definition" {
				d = st.ChildByField("definition")
			}
			if d.Kind == "function_definition" && d.ChildByField("name").Text() == n.Text() {
				found = d
			}
		}
		if found != nil {
			return found
		}
	}
	return nil
}

func (p *Project) resource(m *Module, call *python.Node) {
	fn := call.ChildByField("function")
	o := p.ObjectAt(fn.ChildByField("object"))
	if o == nil {
		p.unresolved(p.receiverReason(fn.ChildByField("object")))
		return
	}
	if o.Kind != "api" && o.Kind != "restx" && o.Kind != "namespace" {
		p.unresolved("add_resource on a " + o.Kind + ", not on an Api")
		return
	}
	// A table of routes registered in a loop (for path, res in ROUTES:
	// api.add_resource(res, path); for r in ROUTES: api.add_resource(*r)):
	// one expansion per element.
	for _, b := range p.expandLoops(Binding{Site: call}, call) {
		p.resourceIn(m, call, o, b)
	}
}

// resourceIn adds the routes of one add_resource call under a loop
// binding; *args spread a bound tuple.
func (p *Project) resourceIn(m *Module, call *python.Node, o *Object, b Binding) {
	argsNode := call.ChildByField("arguments")
	var pos []*python.Node
	for _, a := range argsNode.NamedChildren() {
		switch a.Kind {
		case "keyword_argument", "dictionary_splat":
		case "list_splat":
			inner := b.bound(a.NamedChildren()[0])
			if u := inner.Unparen(); u.Kind == "tuple" || u.Kind == "list" {
				pos = append(pos, u.NamedChildren()...)
			} else {
				p.unresolved("the arguments `*" + short(a.NamedChildren()[0].Text()) + "` are not a literal tuple")
				return
			}
		default:
			pos = append(pos, a)
		}
	}
	if len(pos) == 0 {
		return
	}
	clsNode := b.bound(pos[0])
	cm, cls := p.ResolveClass(p.ModuleOf(clsNode), clsNode.DottedName())
	if cls == nil {
		p.unresolved("resource class `" + short(pos[0].Text()) + "` not found")
		return
	}
	ep := strings.ToLower(cls.ChildByField("name").Text())
	if v := p.EvalIn(keyword(argsNode, "endpoint"), b); v.Kind == Str {
		ep = v.S
	}
	for _, u := range pos[1:] {
		v := p.EvalIn(u, b)
		if v.Kind != Str && len(b.Loop) == 0 {
			v = p.evalRule(u)
		}
		if v.Kind == Str {
			p.classRoutes(cm, cls, o, v.S, ep, nil, call, nil)
		} else {
			p.unresolved("the rule `" + short(u.Text()) + "` is not a constant")
		}
	}
}

// bound is the expression a loop variable of b stands for at n, or n.
func (b Binding) bound(n *python.Node) *python.Node {
	if u := n.Unparen(); u != nil && u.Kind == "identifier" && b.Scope != nil && b.Scope.Contains(u) {
		if v, ok := b.Loop[u.Text()]; ok && v != nil {
			return v
		}
	}
	return b.Resolve(n)
}

// viewExpr follows a name bound to a view (view = Thing.as_view("thing"))
// to the expression that made it.
func (p *Project) viewExpr(n *python.Node) *python.Node {
	u := n.Unparen()
	if u == nil || u.Kind != "identifier" {
		return n
	}
	if _, def := p.ResolveFunc(p.ModuleOf(u), u.Text()); def != nil {
		return n
	}
	if localFunc(u) != nil {
		return n
	}
	if rhs := p.nameRHS(p.ModuleOf(u), u, u.Text(), 0); rhs != nil && rhs.Unparen().Kind == "call" {
		return rhs.Unparen()
	}
	return n
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

// hasURLArg reports whether an add_resource call passes URLs (a second
// positional argument, *urls or urls=): Flask-RESTful's always does.
func hasURLArg(call *python.Node) bool {
	args := call.ChildByField("arguments")
	if keyword(args, "urls") != nil {
		return true
	}
	n := 0
	for _, a := range args.NamedChildren() {
		switch a.Kind {
		case "keyword_argument", "dictionary_splat":
		case "list_splat":
			return true
		default:
			n++
		}
	}
	return n >= 2
}
