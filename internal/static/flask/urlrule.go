package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
	"strconv"
	"strings"
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

// localFunc finds a function defined by name in the scope enclosing n.
func localFunc(n *python.Node) *python.Node {
	return localDef(n, "function_definition")
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

// viewReason says why a view expression names no function: a class given
// itself (a project wrapper of add_url_rule turns it into a view), a name
// given as a string, a parameter, or a name bound nowhere the model sees.
func (p *Project) viewReason(view *python.Node) string {
	text := short(view.Text())
	m := p.ModuleOf(view)
	switch {
	case view.Kind == "string":
		return "the view is given by name (" + text + "), looked up at run time by a project wrapper"
	case m != nil && view.DottedName() != "":
		if _, cls := p.ResolveClass(m, view.DottedName()); cls != nil {
			return "the view is class " + text + " itself, not " + text + ".as_view(...): a project wrapper of add_url_rule makes the view (not followed)"
		}
		if ParamOf(view) != nil {
			return "the view " + text + " is a parameter no call binds to a function the model resolves"
		}
		first, _, _ := strings.Cut(view.DottedName(), ".")
		if imp, ok := m.Imports[first]; ok && p.Module(imp.Module) == nil && p.moduleFor(m, view.DottedName()) == nil {
			return "the view " + text + " is imported from " + imp.Module + ", outside the analysed directory (a library's view: its code and checks are not in the tree)"
		}
	}
	return "view function " + text + " not found"
}

// madeView is the view a project factory makes and returns when the view
// expression is a call of it: a function defined inside the factory (or a
// lambda) it returns, as redirect_view(".display") or
// make_redirect(bp, "login") do. A call given a function or class is a
// decorator wrapping that view, never a factory: nil.
func (p *Project) madeView(call *python.Node, b Binding) *python.Node {
	m := p.ModuleOf(call)
	_, fdef := p.ResolveFunc(m, call.ChildByField("function").DottedName())
	if fdef == nil || fdef.Kind != "function_definition" {
		return nil
	}
	for _, a := range call.ChildByField("arguments").NamedChildren() {
		if a.Kind == "keyword_argument" {
			a = a.ChildByField("value")
		}
		a = b.bound(a).Unparen()
		if a == nil {
			continue
		}
		if a.Kind == "lambda" {
			return nil
		}
		if d := a.DottedName(); d != "" {
			if _, f := p.ResolveFunc(p.ModuleOf(a), d); f != nil {
				return nil
			}
			if _, c := p.ResolveClass(p.ModuleOf(a), d); c != nil {
				return nil
			}
		}
	}
	for _, r := range returns(fdef) {
		r = r.Unparen()
		if r == nil {
			continue
		}
		if r.Kind == "lambda" {
			return r
		}
		if r.Kind != "identifier" {
			continue
		}
		for _, st := range fdef.ChildByField("body").NamedChildren() {
			d := st
			if st.Kind == "decorated_definition" {
				d = st.ChildByField("definition")
			}
			if d.Kind == "function_definition" && d.ChildByField("name").Text() == r.Text() {
				return d
			}
		}
	}
	return nil
}

// isRow reports whether a loop element is a row of a table (a tuple, list
// or dict literal of its fields, in a file), which the registration
// counts once per row.
func isRow(n *python.Node) bool {
	if n == nil || n.File == nil {
		return false
	}
	switch n.Kind {
	case "tuple", "list", "dictionary":
		return true
	case "call": // a decoration that filled a registry (registry.go)
		return n.Parent != nil && n.Parent.Kind == "decorator"
	case "identifier": // a decorated function a registry holds (registry.go)
		return n.Parent != nil && n.Parent.Kind == "function_definition" && n.Parent.ChildByField("name") == n
	}
	return false
}

// selfMethod is the method self.name names inside a method of a project
// class (blueprint.add_url_rule("/", view_func=self.prompt)): the class's
// own or inherited definition (a subclass may override it: the route is
// the class's as written).
func (p *Project) selfMethod(view *python.Node) (*Module, *python.Node) {
	v := view.Unparen()
	if v == nil || v.Kind != "attribute" {
		return nil, nil
	}
	cls := selfClass(v.ChildByField("object"))
	if cls == nil {
		return nil, nil
	}
	m := p.ModuleOf(cls)
	ref, def := classMember(p.classChain(m, cls), v.ChildByField("attribute").Text())
	if def == nil || def.Kind != "function_definition" {
		return nil, nil
	}
	return ref.mod, def
}

func whyTail(why string) string {
	if why == "" {
		return ""
	}
	return ": " + why
}

// splatPositional is the i-th positional argument of a call, a splat of
// a row the binding gives (add_url_rule(*row) with row a literal tuple)
// spread in place; nil when there is none.
func splatPositional(args *python.Node, i int, b Binding) *python.Node {
	if args == nil {
		return nil
	}
	k := 0
	for _, a := range args.NamedChildren() {
		switch a.Kind {
		case "keyword_argument", "dictionary_splat":
			continue
		case "list_splat":
			inner := a.NamedChildren()
			if len(inner) == 0 {
				return nil
			}
			row := b.bound(inner[0]).Unparen()
			if row == nil || (row.Kind != "tuple" && row.Kind != "list") {
				return nil
			}
			for _, c := range row.NamedChildren() {
				if k == i {
					return c
				}
				k++
			}
			continue
		}
		if k == i {
			return a
		}
		k++
	}
	return nil
}

// splatRows registers add_url_rule(*row) over a loop on a table of rows:
// each row spread into the call's arguments, one registration per row;
// false when the loop gives no row whose rule is a constant.
func (p *Project) splatRows(m *Module, call *python.Node, o *Object) bool {
	bs, _ := p.loopExpansions(call)
	args := call.ChildByField("arguments")
	placed := false
	for _, b := range bs {
		placed = placed || p.EvalIn(splatPositional(args, 0, b), b).Kind == Str
	}
	if !placed {
		return false
	}
	outer := p.curDecl
	for _, b := range bs {
		if isRow(b.Item) {
			p.declareRow(call, b.Item)
		}
		if p.EvalIn(splatPositional(args, 0, b), b).Kind == Str {
			p.urlRuleWith(m, call, o, b)
		} else {
			p.unresolved("the rule of this row is not a constant")
		}
	}
	delete(p.declOf, call) // counted by its rows
	p.curDecl = outer
	return true
}

// urlRulePerCall expands an add_url_rule of a helper that makes its
// blueprint per call: each call site on its own instance, over the rows
// of the table that call passes; each call, or each row, is a
// registration.
func (p *Project) urlRulePerCall(m *Module, call *python.Node, o *Object, fn *python.Node, sites []Binding, ruleN *python.Node) {
	outer := p.curDecl
	for _, cs := range sites {
		io := p.perCallObject(o, fn, cs, 0)
		p.declare(cs.Site)
		bs, why := p.loopExpansionsIn(call, cs)
		if why != "" {
			p.unresolved("this call of " + fn.ChildByField("name").Text() + "() registers rules the analysis cannot list: " + why)
			continue
		}
		if bs == nil {
			bs = []Binding{cs}
		}
		rows := false
		for _, b := range bs {
			if isRow(b.Item) && b.Item != cs.Item {
				p.declareRow(call, b.Item)
				rows = true
			}
			if p.ruleIn(ruleN, b).Kind == Str {
				p.urlRuleWith(m, call, io, b)
			} else {
				p.unresolved("this call of " + fn.ChildByField("name").Text() + "() gives a rule the analysis cannot compute (`" + short(ruleN.Text()) + "`)")
			}
		}
		if rows {
			delete(p.declOf, cs.Site)
		}
	}
	delete(p.declOf, call)
	p.curDecl = outer
}
