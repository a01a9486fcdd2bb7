package flask

import (
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Object is a Flask app, a Blueprint or a Flask-RESTful Api.
type Object struct {
	// Kind is "app", "blueprint", "api" (Flask-RESTful), "restx" (a
	// flask-restx or flask-restplus Api), "namespace" (theirs), or "site"
	// (routes a framework serves from the app: Flask-AppBuilder views,
	// connexion operations).
	Kind   string
	Module *Module
	Var    string
	// Name is a blueprint's name (its endpoint prefix).
	Name string
	// Prefix is the url_prefix given at construction (Api: prefix=).
	Prefix string
	Node   *python.Node
	// Parent is the app or blueprint an Api is bound to.
	Parent *Object
	Regs   []Registration
	// PrefixUnknown is the url_prefix expression of the constructor when
	// it is computed at run time (its routes' paths lack it).
	PrefixUnknown string
	// Injected says where a loader injects this per-module object
	// (injected.go); "" for objects the module makes itself.
	Injected string
	// JSONAPI marks a flask-rest-jsonapi Api (jsonapi.go): Api(app,
	// blueprint), api.route(Resource, "view", *urls).
	JSONAPI bool
	// Of is the helper's local object this one is a per-call instance of
	// (helperobj.go): what the helper binds to that object holds for it.
	Of *Object
	// Router marks an ASGI framework's app or router (FastAPI, Starlette;
	// asgi.go): prefix= at construction, include_router prefixes that add
	// to the router's own, dependencies= that gate every route.
	Router bool
}

// Registration is one register_blueprint call.
type Registration struct {
	Parent    *Object
	Prefix    string
	HasPrefix bool
	Name      string
	// PrefixUnknown is the url_prefix expression when the analysis cannot
	// compute it (the routes' paths lack that part).
	PrefixUnknown string
	// Nested: the prefix goes in front of the object's own (FastAPI's
	// include_router(router, prefix=...)) instead of replacing it.
	Nested bool
	// Deps is the dependencies= list of the registration (include_router),
	// run before each of the object's routes.
	Deps *python.Node
}

type objKey struct {
	mod  *Module
	fn   *python.Node
	name string
}

// constructors are classes of frameworks built on Flask that make apps
// and blueprints, by qualified name: data, one row per class.
var constructors = map[string]string{
	"apiflask.APIFlask":           "app",
	"apiflask.APIBlueprint":       "blueprint",
	"apiflask.app.APIFlask":       "app",
	"flask_openapi3.OpenAPI":      "app",
	"flask_openapi3.APIBlueprint": "blueprint",
	"flask_smorest.Blueprint":     "blueprint",
	// flask-smorest's Api registers blueprints on the app it is given
	// (api.register_blueprint(blp) is app.register_blueprint(blp)).
	"flask_smorest.Api": "api",
	// Quart is Flask's API on asyncio; its Blueprint ends in "Blueprint".
	"quart.Quart": "app",
	// ASGI frameworks whose routes are declared as Flask's are
	// (@app.get("/x"), a router included under a prefix): asgi.go.
	"fastapi.FastAPI":                  "app",
	"fastapi.applications.FastAPI":     "app",
	"fastapi.APIRouter":                "blueprint",
	"fastapi.routing.APIRouter":        "blueprint",
	"starlette.applications.Starlette": "app",
	"starlette.routing.Router":         "blueprint",
}

func constructorKind(qualified string) string {
	if k, ok := constructors[qualified]; ok {
		return k
	}
	last := qualified[strings.LastIndex(qualified, ".")+1:]
	switch last {
	case "Flask":
		return "app"
	case "Blueprint":
		return "blueprint"
	case "Api":
		switch {
		case strings.Contains(qualified, "restx") || strings.Contains(qualified, "restplus"):
			return "restx"
		case strings.Contains(qualified, "smorest"):
			return ""
		}
		return "api"
	case "Namespace":
		if strings.Contains(qualified, "restx") || strings.Contains(qualified, "restplus") {
			return "namespace"
		}
	}
	return ""
}

func (p *Project) collectObjects() {
	for _, m := range p.Modules {
		for _, n := range m.File.OfKind("assignment") {
			left, right := n.ChildByField("left"), n.ChildByField("right").Unparen()
			if left != nil && right != nil && right.Kind == "attribute" && p.wrappedFlask(m, right) {
				// flask_app = connexion_app.app: the Flask app a framework
				// app holds.
				if key, ok := p.bindingKey(m, n, left); ok {
					p.objects[key] = &Object{Kind: "app", Module: m, Var: left.Text(), Node: right}
				}
				continue
			}
			if left == nil || right == nil || right.Kind != "call" {
				continue
			}
			key, ok := p.bindingKey(m, n, left)
			if !ok {
				continue
			}
			kind, ctor, b := p.made(right, 0)
			if kind == "" {
				continue
			}
			p.objects[key] = p.newObject(m, kind, ctor, b, left.Text())
		}
	}
	p.collectReturned()
	p.linkReturnedLocals()
	p.collectNamespaces()
	// Bind Apis and register blueprints once every object is known.
	for _, o := range p.objects {
		if o.Kind == "api" || o.Kind == "restx" {
			args := o.Node.ChildByField("arguments")
			target := positional(args, 0)
			if target == nil {
				target = keyword(args, "app")
			}
			if bp := jsonAPIBlueprint(o, args); bp != nil {
				target = bp
			}
			o.Parent = p.ObjectAt(target)
		}
	}
	for _, m := range p.Modules {
		for _, n := range m.File.OfKind("call") {
			p.bindCall(n)
		}
	}
}

// newObject is the object a constructor call makes, bound to name.
func (p *Project) newObject(m *Module, kind string, ctor *python.Node, b Binding, name string) *Object {
	o := &Object{Kind: kind, Module: m, Var: name, Node: ctor}
	args := ctor.ChildByField("arguments")
	str := func(pos int, name string) (string, bool) {
		n := keyword(args, name)
		if pos >= 0 && positional(args, pos) != nil {
			n = positional(args, pos)
		}
		v := p.EvalIn(n, b)
		return v.S, n != nil
	}
	if p.asgiConstructor(p.ModuleOf(ctor), ctor) {
		p.newRouter(o, args, b)
		return o
	}
	switch kind {
	case "blueprint":
		o.Name, _ = str(0, "name")
		o.Prefix, _ = str(-1, "url_prefix")
		if kw := keyword(args, "url_prefix"); kw != nil {
			if v := p.EvalIn(kw, b); v.Kind != Str && v.Kind != None {
				o.PrefixUnknown = short(kw.Text())
			}
		}
	case "api", "restx":
		o.Prefix, _ = str(-1, "prefix")
		o.JSONAPI = kind == "api" && p.jsonAPICtor(ctor)
	case "namespace":
		o.Name, _ = str(0, "name")
		var has bool
		if o.Prefix, has = str(-1, "path"); !has {
			o.Prefix = "/" + o.Name
		}
	}
	return o
}

// collectReturned adds the objects a function makes in its return
// statement without naming them (return bp, Api(bp); return
// Blueprint(name, __name__)): the call's caller binds them.
func (p *Project) collectReturned() {
	for _, m := range p.Modules {
		for _, c := range m.File.OfKind("call") {
			r := c.Parent
			for r != nil && r.Kind == "parenthesized_expression" {
				r = r.Parent
			}
			if r != nil && (r.Kind == "tuple" || r.Kind == "expression_list") {
				r = r.Parent
			}
			if r == nil || r.Kind != "return_statement" {
				continue
			}
			kind, ctor, b := p.made(c, 0)
			if kind == "" || ctor != c {
				continue
			}
			p.objects[objKey{m, r.Ancestor("function_definition"), "return@" + strconv.Itoa(c.Start)}] = p.newObject(m, kind, ctor, b, "")
		}
	}
}
