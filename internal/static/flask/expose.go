package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// collectExposed adds the routes of Flask-AppBuilder (and Flask-Admin)
// views: methods decorated with @expose("/path") served under the view's
// route_base, "/" + the class name in lower case by default, and
// "/api/v1/" + resource_name for a BaseApi.
func (p *Project) collectExposed() {
	for _, m := range p.Modules {
		for _, cls := range m.File.OfKind("class_definition") {
			for _, st := range cls.ChildByField("body").NamedChildren() {
				if st.Kind != "decorated_definition" {
					continue
				}
				def := st.ChildByField("definition")
				if def == nil || def.Kind != "function_definition" {
					continue
				}
				for _, d := range Decorators(def) {
					if isExpose(d) && p.flaskExpose(m, d) {
						p.exposed(m, cls, def, d)
					}
				}
			}
		}
	}
}

func isExpose(d *python.Node) bool {
	if d.Kind != "call" {
		return false
	}
	name := d.ChildByField("function").DottedName()
	last := name[strings.LastIndex(name, ".")+1:]
	if last != "expose" && last != "expose_api" {
		return false
	}
	return true
}

// flaskExpose reports whether an @expose decorator is Flask-AppBuilder's
// or Flask-Admin's (or a project function of that name, as in those
// frameworks' own trees): other frameworks' expose decorators (Pecan's
// @pecan.expose, WSME's, CherryPy's) publish controller methods through
// object dispatch, not Flask routes, and are neither routes nor
// route-like registrations.
func (p *Project) flaskExpose(m *Module, d *python.Node) bool {
	name := d.ChildByField("function").DottedName()
	q := m.Qualify(name)
	if q == name && !strings.Contains(name, ".") {
		// A bare name no import binds: a project definition in the module
		// (or a star import); keep it.
		return true
	}
	root, _, _ := strings.Cut(q, ".")
	switch root {
	case "flask_appbuilder", "flask_admin", "flask_superadmin":
		return true
	}
	if _, def := p.ResolveFunc(m, name); def != nil {
		return true
	}
	return p.Module(root) != nil
}

// site is the object that serves a framework's routes, one per app:
// key names it ("appbuilder", or the connexion app's module and variable).
func (p *Project) site(key string) *Object {
	if p.sites == nil {
		p.sites = map[string]*Object{}
	}
	o := p.sites[key]
	if o == nil {
		o = &Object{Kind: "site", Var: key}
		p.sites[key] = o
	}
	return o
}

func (p *Project) exposed(m *Module, cls, def, d *python.Node) {
	p.declare(d)
	args := d.ChildByField("arguments")
	rule := p.Eval(positional(args, 0))
	if positional(args, 0) == nil && keyword(args, "url") == nil {
		rule = Value{Kind: Str, S: "/"}
	} else if rule.Kind != Str {
		rule = p.Eval(keyword(args, "url"))
	}
	if rule.Kind != Str {
		p.unresolved("the rule is not a constant")
		return
	}
	base := p.routeBase(m, cls)
	methods := p.methodsArg(args)
	var decs []*python.Node
	for _, o := range Decorators(def) {
		if o != d {
			decs = append(decs, o)
		}
	}
	name := cls.ChildByField("name").Text()
	r := Route{Handler: name + "." + def.ChildByField("name").Text(), File: m.File.Path, Line: def.Line,
		Def: def, Class: cls, Decl: d, decorators: decs}
	p.addRoute(p.site("appbuilder"), joinRule(base, rule.S), methods, strings.ToLower(name)+"."+def.ChildByField("name").Text(), r)
}

// routeBase is the URL prefix of a view class.
func (p *Project) routeBase(m *Module, cls *python.Node) string {
	chain := p.classChain(m, cls)
	if ref, v := classMember(chain, "route_base"); v != nil {
		if s := p.Eval(v); s.Kind == Str {
			_ = ref
			return s.S
		}
	}
	name := strings.ToLower(cls.ChildByField("name").Text())
	if !isAPIView(chain) {
		return "/" + name
	}
	version := "v1"
	if _, v := classMember(chain, "version"); v != nil {
		if s := p.Eval(v); s.Kind == Str {
			version = s.S
		}
	}
	if _, v := classMember(chain, "resource_name"); v != nil {
		if s := p.Eval(v); s.Kind == Str && s.S != "" {
			name = s.S
		}
	}
	return "/api/" + version + "/" + name
}

// isAPIView reports whether a class derives from a Flask-AppBuilder API
// base (BaseApi, ModelRestApi); BaseView and ModelView serve at /name.
func isAPIView(chain []classRef) bool {
	for _, c := range chain {
		if n := c.cls.ChildByField("name").Text(); n == "BaseApi" || n == "ModelRestApi" {
			return true
		}
		for _, b := range c.cls.ChildByField("superclasses").NamedChildren() {
			d := b.DottedName()
			switch last := d[strings.LastIndex(d, ".")+1:]; last {
			case "BaseApi", "ModelRestApi", "BaseModelApi":
				return true
			}
		}
	}
	return false
}
