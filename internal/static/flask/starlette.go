package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Starlette's route lists: Starlette(routes=[Route("/x", view,
// methods=[...]), Mount("/api", routes=[...]), Mount("/sub", app=other)])
// (a list literal or a name bound to one). Route and Mount are data: one
// row per class, by qualified name.
var routeListCtors = map[string]string{
	"starlette.routing.Route":  "route",
	"starlette.routing.Mount":  "mount",
	"fastapi.routing.APIRoute": "route",
}

// routeListKind is "route", "mount" or "" for a call in a route list.
func routeListKind(m *Module, call *python.Node) string {
	if m == nil || call == nil || call.Kind != "call" {
		return ""
	}
	return routeListCtors[m.Qualify(call.ChildByField("function").DottedName())]
}

// collectRouteLists adds the routes of every ASGI app or router's
// routes= list.
func (p *Project) collectRouteLists() {
	for _, o := range p.objects {
		if !o.Router || o.Node == nil {
			continue
		}
		if kw := keyword(o.Node.ChildByField("arguments"), "routes"); kw != nil {
			p.routeList(o.Module, o, kw, "", "", 0)
		}
	}
}

// routeList adds the routes of one list under prefix (the paths of the
// Mounts around it).
// A Mount whose path is computed at run time keeps its routes, without
// that part, stated as an assumption (note), as a blueprint's url_prefix
// computed at run time does.
func (p *Project) routeList(m *Module, o *Object, list *python.Node, prefix, note string, depth int) {
	list = list.Unparen()
	if list != nil && list.Kind == "identifier" {
		list = p.nameRHS(m, list, list.Text(), 0).Unparen()
	}
	if list == nil || list.Kind != "list" || depth > 8 {
		return
	}
	for _, el := range list.NamedChildren() {
		el = el.Unparen()
		a := argsOf(el)
		path := a.positional(0)
		if path == nil {
			path = a.keyword("path")
		}
		switch routeListKind(m, el) {
		case "mount":
			sub := a.keyword("routes")
			if sub == nil {
				continue // Mount(path, app=...): a mount (mounts.go)
			}
			if v := p.Eval(path); v.Kind == Str {
				p.routeList(m, o, sub, prefix+strings.TrimRight(v.S, "/"), note, depth+1)
			} else if path != nil {
				p.routeList(m, o, sub, prefix, "the Mount path `"+short(path.Text())+"` is computed at run time and is not in these paths", depth+1)
			}
		case "route":
			p.declare(el)
			p.listedRoute(m, o, el, a, path, prefix)
			if d := p.curDecl; d != nil && d.Resolved && note != "" && d.Assumed == "" {
				d.Assumed = note
			}
		}
	}
	p.curDecl = nil
}

// listedRoute adds Route(path, endpoint, methods=[...]).
func (p *Project) listedRoute(m *Module, o *Object, el *python.Node, a callArgs, path *python.Node, prefix string) {
	v := p.Eval(path)
	if v.Kind != Str {
		p.unresolved("the path of the Route is not a constant")
		return
	}
	view := a.positional(1)
	if view == nil {
		view = a.keyword("endpoint")
	}
	vm, def := p.resolveCallable(m, view)
	if def == nil || def.Kind != "function_definition" {
		p.unresolved(p.viewReason(view))
		return
	}
	methods := []string{"GET"}
	if a.keyword("methods") != nil {
		methods = p.methodsArg(el.ChildByField("arguments"))
	}
	name := def.ChildByField("name").Text()
	// Decorators of the listed view wrap it before it is listed.
	p.addRoute(o, prefix+v.S, methods, name, Route{Handler: name, File: vm.File.Path, Line: def.Line, Def: def, Decl: el, decorators: Decorators(def)})
}

// mountedIn is the path of a Mount(path, app=X) call and of the Mounts
// around it in a route list; ok false when a path is not constant.
func (p *Project) mountedIn(m *Module, c *python.Node) (string, *python.Node, bool) {
	a := argsOf(c)
	sub := a.keyword("app")
	if sub == nil {
		sub = a.positional(1)
	}
	if sub == nil {
		return "", nil, false
	}
	path := ""
	for n := c; n != nil; n = n.Parent {
		if n.Kind != "call" || routeListKind(m, n) != "mount" {
			continue
		}
		pa := argsOf(n).positional(0)
		if pa == nil {
			pa = argsOf(n).keyword("path")
		}
		v := p.Eval(pa)
		if v.Kind != Str {
			return "", nil, false
		}
		path = strings.TrimRight(v.S, "/") + path
	}
	return path, sub, true
}
