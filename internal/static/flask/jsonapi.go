package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// flask-rest-jsonapi's registration API: api = Api(app, blueprint) (or
// api.init_app(app, blueprint)) and api.route(Resource, "view", *urls)
// place each URL on the blueprint when there is one, else on the app,
// served by the resource class's HTTP methods, most of them inherited
// from the library's ResourceList/ResourceDetail/ResourceRelationship.

// jsonAPICtor reports whether an Api constructor call is
// flask-rest-jsonapi's.
func (p *Project) jsonAPICtor(ctor *python.Node) bool {
	m := p.ModuleOf(ctor)
	if m == nil {
		return false
	}
	return strings.HasPrefix(m.Qualify(ctor.ChildByField("function").DottedName()), "flask_rest_jsonapi.")
}

// jsonAPIBlueprint is the blueprint argument of a flask-rest-jsonapi
// Api(app, blueprint) or init_app(app, blueprint) call, or nil.
func jsonAPIBlueprint(o *Object, args *python.Node) *python.Node {
	if o == nil || !o.JSONAPI || args == nil {
		return nil
	}
	if bp := keyword(args, "blueprint"); bp != nil {
		return bp
	}
	return positional(args, 1)
}

// jsonAPIRoute reports whether X.route(...) is a call on a
// flask-rest-jsonapi Api (not a Flask route decorator).
func (p *Project) jsonAPIRoute(fn *python.Node) bool {
	o := p.ObjectAt(fn.ChildByField("object"))
	return o != nil && o.JSONAPI
}

// libraryVerbs are the HTTP methods library resource base classes serve
// without any method in the project: data, one row per class.
var libraryVerbs = map[string][]string{
	"flask_rest_jsonapi.ResourceList":                  {"GET", "POST"},
	"flask_rest_jsonapi.ResourceDetail":                {"GET", "PATCH", "DELETE"},
	"flask_rest_jsonapi.ResourceRelationship":          {"GET", "POST", "PATCH", "DELETE"},
	"flask_rest_jsonapi.resource.ResourceList":         {"GET", "POST"},
	"flask_rest_jsonapi.resource.ResourceDetail":       {"GET", "PATCH", "DELETE"},
	"flask_rest_jsonapi.resource.ResourceRelationship": {"GET", "POST", "PATCH", "DELETE"},
}

// inheritedVerbs are the methods a class chain inherits from library
// base classes of libraryVerbs, narrowed by a methods = [...] attribute.
func (p *Project) inheritedVerbs(chain []classRef) []string {
	var out []string
	for _, c := range chain {
		for _, b := range c.cls.ChildByField("superclasses").NamedChildren() {
			for _, v := range libraryVerbs[c.mod.Qualify(b.DottedName())] {
				if !contains(out, v) {
					out = append(out, v)
				}
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	if _, mv := classMember(chain, "methods"); mv != nil {
		if ss, ok := p.Eval(mv).Strings(); ok {
			var keep []string
			for _, s := range ss {
				if contains(out, strings.ToUpper(s)) {
					keep = append(keep, strings.ToUpper(s))
				}
			}
			out = keep
		}
	}
	return out
}
