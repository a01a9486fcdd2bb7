package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
	"strconv"
)

// add_url_rule: a view function, a lambda, Cls.as_view(...), wrapped
// views, and route factories expanded per call.

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
	// A helper that makes its blueprint per call (and registers it, or
	// hands it to a caller that does): each call on its own instance,
	// over its own table.
	if fn, sites := p.perCallSites(o, call); fn != nil && ruleN != nil {
		p.urlRulePerCall(m, call, o, fn, sites, ruleN)
		return
	}
	if p.evalRuleAssuming(func() Value { return p.evalRule(ruleN) }).Kind == Str {
		p.urlRuleWith(m, call, o, Binding{})
		return
	}
	// A route factory: def route(path, view, name): app.add_url_rule(...),
	// or def register_view(bp, routes, view_func): for r in routes: ...
	factory, loop := ParamOf(ruleN.Unparen()), (*python.Node)(nil)
	if factory == nil && ruleN.Unparen() != nil && ruleN.Unparen().Kind == "identifier" {
		if loop = loopBinding(ruleN.Unparen()); loop != nil {
			factory = ParamOf(loop.ChildByField("right").Unparen())
		}
	}
	if factory != nil {
		p.expandFactory(m, call, fn.ChildByField("object"), factory, loop)
		return
	}
	// Loops over constant tables around the call: one registration per
	// element (all of them, or the reason none is followed).
	bs, why := p.loopExpansions(call)
	placed, rows := false, false
	for _, b := range bs {
		placed = placed || p.EvalIn(ruleN, b).Kind == Str
	}
	outer := p.curDecl
	for _, b := range bs {
		if !placed {
			break
		}
		if isRow(b.Item) {
			p.declareRow(call, b.Item) // each row of a table of views is a registration
			rows = true
		}
		if p.EvalIn(ruleN, b).Kind == Str {
			p.urlRuleWith(m, call, o, b)
		} else if b.Item != nil {
			p.unresolved("the rule `" + short(ruleN.Text()) + "` is not a constant for the row at line " + strconv.Itoa(b.Item.Line))
		}
	}
	if rows {
		delete(p.declOf, call) // counted by its rows
	}
	p.curDecl = outer
	if placed {
		return
	}
	// A helper whose rule is built from its parameters in its body
	// (def mount(view, name, rows, slash=True): for url, d in rows:
	// rule = "/%s" % url ...): each call of it is a registration, its body
	// run with that call's arguments.
	if fn := call.Ancestor("function_definition"); fn != nil && len(Params(fn)) > 0 && p.expandCaller(m, call, fn.ChildByField("name"), fn, ruleN) {
		return
	}
	if ruleN == nil && p.splatRows(m, call, o) {
		return
	}
	if ruleN == nil {
		for _, a := range args.NamedChildren() {
			if a.Kind == "list_splat" {
				p.unresolved("the arguments are spread from `" + short(a.Text()) + "` (add_url_rule(*row)), which the analysis does not expand here" + whyTail(why))
				return
			}
		}
		p.unresolved("add_url_rule is given no rule")
		return
	}
	if why != "" {
		p.unresolved("the rule `" + short(ruleN.Text()) + "` is not a constant: " + why)
		return
	}
	p.unresolved("the rule `" + short(ruleN.Text()) + "` is not a constant" + p.whyUnknown(ruleN))
}

func (p *Project) urlRuleWith(m *Module, call *python.Node, o *Object, b Binding) {
	args := call.ChildByField("arguments")
	rule := p.evalRuleAssuming(func() Value {
		rule := p.EvalIn(splatPositional(args, 0, b), b)
		if rule.Kind != Str && len(b.Names) == 0 {
			rule = p.evalRule(splatPositional(args, 0, b))
		}
		if rule.Kind != Str {
			rule = p.EvalIn(keyword(args, "rule"), b)
		}
		return rule
	})
	if rule.Kind != Str {
		return
	}
	view := splatPositional(args, 2, b)
	if view == nil {
		view = keyword(args, "view_func")
	}
	endpoint := p.EvalIn(splatPositional(args, 1, b), b)
	if endpoint.Kind != Str {
		endpoint = p.EvalIn(keyword(args, "endpoint"), b)
	}
	var wraps []*python.Node
	var made *python.Node
	view = p.viewExpr(b.bound(view))
	for view != nil && view.Kind == "call" {
		vf := view.ChildByField("function")
		if vf.Kind == "attribute" && vf.ChildByField("attribute").Text() == "as_view" {
			break
		}
		if made = p.madeView(view, b); made != nil {
			break
		}
		wraps = append(wraps, vf)
		view = p.viewExpr(b.bound(positional(view.ChildByField("arguments"), 0)))
	}
	if view == nil {
		if v := p.EvalIn(keyword(args, "build_only"), b); v.Kind == Bool && v.B {
			// Werkzeug never matches a build-only rule: not a route.
			why := "build_only=True: the rule only builds URLs (url_for); Flask never serves it"
			if p.curDecl != nil && !p.curDecl.Resolved {
				p.curDecl.NotFlask = why
			}
			p.unresolved("not a served route: " + why)
			return
		}
		p.unresolved("add_url_rule without a view function: the endpoint is bound to a view elsewhere (app.view_functions[...], @app.endpoint); not followed")
		return
	}
	methods := p.methodsArgIn(args, b)
	if view.Kind == "call" && made == nil { // Cls.as_view("name")
		clsNode := b.bound(view.ChildByField("function").ChildByField("object"))
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
	switch {
	case made != nil:
		def, vm = made, p.ModuleOf(made)
	case view.Kind == "lambda":
		def = view
	default:
		vm, def = p.ResolveFunc(vm, view.DottedName())
		if def == nil {
			def = localFunc(view)
			vm = p.ModuleOf(def)
		}
		if def == nil {
			vm, def = p.selfMethod(view)
		}
		if def == nil {
			vm, def = p.classFunc(view)
		}
	}
	if def == nil {
		ep := ""
		if endpoint.Kind == Str {
			ep = endpoint.S
		}
		if p.wrappedClassRoutes(o, view, call, rule.S, ep, methods, keyword(args, "methods") != nil, wraps) {
			return
		}
		p.unresolved(p.viewReason(view))
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
	if it := b.Item; it != nil && it.Parent != nil && (it.Parent == def || it.Kind == "call" && it.Parent.Kind == "decorator" && def.Parent != nil && def.Parent.Contains(it)) {
		r.Decl, r.File, r.Line = it, vm.File.Path, def.Line // a registry row: the decorated view
	}
	p.addRoute(o, rule.S, methods, ep, r)
}
