package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// otherFrameworks are web frameworks other than Flask whose apps and
// routers have route-like methods (router.get("/x"), app.route("/x")):
// data, one top-level module per framework. Quart is left out: it is
// Flask's API on asyncio, and its routes are routes of the same kind; so
// are FastAPI and Starlette, whose routes the model reads (asgi.go): one
// of theirs it cannot place is a registration it lost.
var otherFrameworks = map[string]bool{
	"chalice": true, "aiohttp": true, "sanic": true, "bottle": true,
	"falcon": true, "tornado": true, "django": true, "pyramid": true, "cherrypy": true, "litestar": true,
	"robyn": true, "responder": true, "hug": true, "klein": true, "twisted": true, "web": false,
}

// routeMethods are the method names a route-like registration calls.
var routeMethods = []string{"route", "add_url_rule", "add_resource", "get", "post", "put", "patch", "delete", "api_route", "add_route"}

// notFlask says why the object a call makes is not a Flask app, blueprint
// or Api at all, so that a route-like registration on it is another
// framework's route and not a Flask registration the analysis lost: the
// class comes from another web framework (a litestar Router, a project
// subclass of chalice.Chalice), or it is a project class that is no
// Flask or Blueprint subclass and defines the registration method itself
// (a small HTTP server of the project's own). "" when it may be Flask's.
func (p *Project) notFlask(m *Module, call *python.Node) string {
	callee := call.ChildByField("function").DottedName()
	if callee == "" {
		return ""
	}
	if top, _, _ := strings.Cut(m.Qualify(callee), "."); otherFrameworks[top] {
		return "a class of " + top + " (" + m.Qualify(callee) + ")"
	}
	cm, cls := p.ResolveClass(m, callee)
	if cls == nil || p.classKind(cm, cls) != "" {
		return ""
	}
	chain := p.classChain(cm, cls)
	external := false
	for _, c := range chain {
		for _, b := range c.cls.ChildByField("superclasses").NamedChildren() {
			d := b.DottedName()
			if d == "" || d == "object" {
				continue
			}
			if _, bc := p.ResolveClass(c.mod, d); bc != nil {
				continue
			}
			q := c.mod.Qualify(d)
			if top, _, _ := strings.Cut(q, "."); otherFrameworks[top] {
				return "a project subclass of " + q + " (" + top + ")"
			}
			external = true // a base outside the project: it may be Flask's
		}
	}
	if external {
		return ""
	}
	for _, name := range routeMethods {
		if ref, d := classMember(chain, name); d != nil && d.Kind == "function_definition" {
			return "the project's own class " + cls.ChildByField("name").Text() + ", which is not Flask and defines " + name + "() itself (" + ref.mod.File.Path + ")"
		}
	}
	return ""
}
