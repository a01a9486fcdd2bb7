package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// ASGI frameworks whose routes read as Flask's: FastAPI's app and
// APIRouter (@router.get("/items/{id}"), router.api_route(path,
// methods=[...]), app.add_api_route(path, view)), include_router(router,
// prefix=...) nesting routers (the prefix goes in front of the router's
// own), app.mount("/sub", subapp), and Starlette's Route/Mount lists
// (starlette.go). They are apps and blueprints of the model marked
// Router; their gates are dependencies (depends.go).

// asgiFrameworks are the top-level modules whose app and router classes
// take prefix= and dependencies= (data).
var asgiFrameworks = map[string]bool{"fastapi": true, "starlette": true}

// asgiConstructor reports whether call constructs an ASGI app or router:
// the framework's class, or a project class deriving from it (class
// CloudifyAPI(FastAPI)).
func (p *Project) asgiConstructor(m *Module, call *python.Node) bool {
	if m == nil || call == nil {
		return false
	}
	callee := call.ChildByField("function").DottedName()
	if top, _, _ := strings.Cut(m.Qualify(callee), "."); asgiFrameworks[top] {
		return true
	}
	cm, cls := p.ResolveClass(m, callee)
	if cls == nil {
		return false
	}
	for _, c := range p.classChain(cm, cls) {
		for _, b := range c.cls.ChildByField("superclasses").NamedChildren() {
			if top, _, _ := strings.Cut(c.mod.Qualify(b.DottedName()), "."); asgiFrameworks[top] {
				return true
			}
		}
	}
	return false
}

// newRouter fills what an ASGI app or router's constructor says: its
// prefix (APIRouter(prefix="/items")); its dependencies stay on Node.
func (p *Project) newRouter(o *Object, args *python.Node, b Binding) {
	o.Router = true
	if kw := keyword(args, "prefix"); kw != nil {
		v := p.evalRuleAssuming(func() Value { return p.EvalIn(kw, b) })
		o.Prefix = v.S
		if v.Kind != Str && v.Kind != None {
			o.PrefixUnknown = short(kw.Text())
		}
	}
}

// isRouterVerb: api_route takes methods= as Flask's route does.
func isRouterVerb(verb string) bool { return verb == "api_route" }

// routerDeps are the dependencies= lists that run before a route of o:
// those of o's constructor, of each include_router that registers it, and
// of the objects those register on, up to the app.
func (p *Project) routerDeps(o *Object, depth int) []*python.Node {
	if o == nil || !o.Router || depth > 8 {
		return nil
	}
	var out []*python.Node
	if kw := keyword(o.Node.ChildByField("arguments"), "dependencies"); kw != nil {
		out = append(out, kw)
	}
	for _, r := range o.Regs {
		if r.Deps != nil {
			out = append(out, r.Deps)
		}
		out = append(out, p.routerDeps(r.Parent, depth+1)...)
	}
	return out
}

// mountCall: app.mount("/sub", subapp) on an ASGI app or router; the
// mounted app serves its routes under the path.
func (p *Project) mountCall(c *python.Node) (string, []*Object) {
	if m := p.ModuleOf(c); routeListKind(m, c) == "mount" {
		path, sub, ok := p.mountedIn(m, c)
		if !ok {
			return "", nil
		}
		var apps []*Object
		for _, o := range p.objectsAt(sub, Binding{}, 0) {
			if o.Kind == "app" {
				apps = append(apps, o)
			}
		}
		return path, apps
	}
	fn := c.ChildByField("function")
	if fn == nil || fn.Kind != "attribute" || fn.ChildByField("attribute").Text() != "mount" {
		return "", nil
	}
	recv := p.ObjectAt(fn.ChildByField("object"))
	if recv == nil || !recv.Router {
		return "", nil
	}
	a := argsOf(c)
	path, sub := a.positional(0), a.positional(1)
	if path == nil {
		path = a.keyword("path")
	}
	if sub == nil {
		sub = a.keyword("app")
	}
	v := p.Eval(path)
	if v.Kind != Str || sub == nil {
		return "", nil
	}
	var apps []*Object
	for _, o := range p.objectsAt(sub, Binding{}, 0) {
		if o.Kind == "app" && o != recv {
			apps = append(apps, o)
		}
	}
	return strings.TrimRight(v.S, "/"), apps
}

// includeRouter records recv.include_router(ROUTER, prefix=...,
// dependencies=[...]): the router's routes are served under recv's
// prefixes, then prefix, then the router's own prefix.
func (p *Project) includeRouter(recv *Object, call *python.Node, args callArgs) bool {
	registered := false
	for _, b := range p.expandLoops(Binding{Site: call}, call) {
		for _, r := range p.objectsAt(args.arg("include_router", 0), b, 0) {
			if r.Kind != "blueprint" || r == recv {
				continue
			}
			reg := Registration{Parent: recv, Nested: true, Deps: args.keyword("dependencies")}
			if kw := args.arg("include_router", 1); kw != nil {
				v := p.evalRuleAssuming(func() Value { return p.EvalIn(kw, b) })
				reg.HasPrefix, reg.Prefix = true, v.S
				if v.Kind != Str && v.Kind != None {
					reg.PrefixUnknown = short(kw.Text())
				}
			}
			if !hasReg(r.Regs, reg) {
				r.Regs = append(r.Regs, reg)
			}
			registered = true
		}
	}
	return registered
}

// routerAt: n is an ASGI app or router.
func (p *Project) routerAt(n *python.Node) bool {
	o := p.ObjectAt(n)
	return o != nil && o.Router
}

// apiRoute adds the route of app.add_api_route(path, endpoint,
// methods=[...]) (FastAPI) or app.add_route(path, endpoint, methods=[...])
// (Starlette), once per element of constant loops around it.
func (p *Project) apiRoute(m *Module, call *python.Node, attr string) {
	fn := call.ChildByField("function")
	o := p.ObjectAt(fn.ChildByField("object"))
	if o == nil {
		p.unresolved(p.receiverReason(fn.ChildByField("object")))
		return
	}
	a := argsOf(call)
	pathN, viewN := a.positional(0), a.positional(1)
	if pathN == nil {
		pathN = a.keyword("path")
	}
	if viewN == nil {
		viewN = a.keyword("endpoint")
		if viewN == nil {
			viewN = a.keyword("route")
		}
	}
	bs, why := p.loopExpansions(call)
	if len(bs) == 0 && why == "" {
		bs = []Binding{{}} // no loop around the call
	}
	placed := false
	for _, b := range bs {
		rule := p.EvalIn(pathN, b)
		if rule.Kind != Str {
			continue
		}
		vm, def := p.resolveCallable(m, b.bound(viewN))
		if def == nil || def.Kind != "function_definition" {
			p.unresolved(p.viewReason(viewN))
			return
		}
		methods := []string{"GET"}
		if a.keyword("methods") != nil {
			methods = p.methodsArgIn(call.ChildByField("arguments"), b)
		}
		name := def.ChildByField("name").Text()
		p.addRoute(o, rule.S, methods, name, Route{Handler: name, File: vm.File.Path, Line: def.Line, Def: def, Decl: call, decorators: Decorators(def)})
		placed = true
	}
	if !placed {
		reason := "the path of " + attr + " is not a constant"
		if pathN != nil {
			reason = "the path `" + short(pathN.Text()) + "` of " + attr + " is not a constant"
		}
		if why != "" {
			reason += ": " + why
		}
		p.unresolved(reason)
	}
}

// HasASGIApp reports whether the project makes a FastAPI app, which
// serves its OpenAPI document unless told not to.
func (p *Project) HasASGIApp() bool {
	for _, o := range p.objects {
		if o.Router && o.Kind == "app" {
			if top, _, _ := strings.Cut(o.Module.Qualify(o.Node.ChildByField("function").DottedName()), "."); top == "fastapi" {
				return true
			}
		}
	}
	return false
}

// annotatedConverters are a view parameter's annotations that FastAPI
// turns into a path parameter's type, as Flask's convertors (data).
var annotatedConverters = map[string]string{"int": "int", "float": "float", "UUID": "uuid", "uuid.UUID": "uuid"}

// typedParams gives a router's path parameters without a convertor the
// type the view's signature annotates (def get(item_id: int)).
func typedParams(r *Route) {
	if r.Def == nil || r.Def.Kind != "function_definition" {
		return
	}
	for i, prm := range r.Params {
		if prm.Converter != "" {
			continue
		}
		for _, n := range r.Def.ChildByField("parameters").NamedChildren() {
			if n.Kind != "typed_parameter" && n.Kind != "typed_default_parameter" || paramIdent(n) != prm.Name {
				continue
			}
			if t := n.ChildByField("type"); t != nil {
				r.Params[i].Converter = annotatedConverters[t.Text()]
			}
		}
	}
}
