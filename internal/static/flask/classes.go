package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

type classRef struct {
	mod *Module
	cls *python.Node
}

// classChain returns the class and its project base classes, nearest first.
func (p *Project) classChain(m *Module, cls *python.Node) []classRef {
	out := []classRef{{m, cls}}
	seen := map[*python.Node]bool{cls: true}
	for i := 0; i < len(out) && len(out) < 16; i++ {
		supers := out[i].cls.ChildByField("superclasses")
		for _, b := range supers.NamedChildren() {
			bm, bc := p.ResolveClass(out[i].mod, b.DottedName())
			if bc != nil && !seen[bc] {
				seen[bc] = true
				out = append(out, classRef{bm, bc})
			}
		}
	}
	return out
}

// classMember finds a method or attribute assignment along the chain.
func classMember(chain []classRef, name string) (classRef, *python.Node) {
	for _, c := range chain {
		for _, st := range c.cls.ChildByField("body").NamedChildren() {
			def := st
			if st.Kind == "decorated_definition" {
				def = st.ChildByField("definition")
			}
			switch def.Kind {
			case "function_definition":
				if def.ChildByField("name").Text() == name {
					return c, def
				}
			case "expression_statement":
				for _, a := range def.NamedChildren() {
					if a.Kind == "assignment" && a.ChildByField("left").Text() == name {
						return c, a.ChildByField("right")
					}
				}
			}
		}
	}
	return classRef{}, nil
}

// classRoutes adds one route per HTTP method a MethodView or Resource
// defines; only restricts to the methods= of add_url_rule.
func (p *Project) classRoutes(m *Module, cls *python.Node, o *Object, rule, endpoint string, only []string, decl *python.Node, wraps []*python.Node) {
	chain := p.classChain(m, cls)
	var viewDecs []*python.Node
	if _, d := classMember(chain, "decorators"); d != nil && (d.Kind == "list" || d.Kind == "tuple") {
		viewDecs = d.NamedChildren()
	}
	_, md := classMember(chain, "method_decorators")
	placed := false
	var served []string
	verbs := httpMethods
	if p.plainView(chain) {
		// flask.views.View: Flask calls dispatch_request for every method;
		// functions named like verbs are not routes of their own.
		verbs = nil
	}
	for _, verb := range verbs {
		if verb == "head" || verb == "options" {
			continue
		}
		ref, def := classMember(chain, verb)
		if def == nil || def.Kind != "function_definition" {
			continue
		}
		if only != nil && !contains(only, strings.ToUpper(verb)) {
			continue
		}
		decs := append(append([]*python.Node{}, wraps...), viewDecs...)
		decs = append(decs, methodDecorators(md, verb)...)
		decs = append(decs, Decorators(def)...)
		r := Route{Handler: cls.ChildByField("name").Text() + "." + verb, File: ref.mod.File.Path,
			Line: def.Line, Def: def, Class: cls, Decl: decl, decorators: decs}
		p.addRoute(o, rule, []string{strings.ToUpper(verb)}, endpoint, r)
		placed = true
		if only != nil {
			served = append(served, strings.ToUpper(verb))
		}
	}
	// Methods a library base class serves (flask-rest-jsonapi's
	// ResourceList): routes handled by the class itself.
	for _, verb := range p.inheritedVerbs(chain) {
		if _, def := classMember(chain, strings.ToLower(verb)); def != nil || only != nil && !contains(only, verb) {
			continue
		}
		decs := append(append([]*python.Node{}, wraps...), viewDecs...)
		decs = append(decs, methodDecorators(md, strings.ToLower(verb))...)
		p.addRoute(o, rule, []string{verb}, endpoint, Route{Handler: cls.ChildByField("name").Text() + "." + strings.ToLower(verb),
			File: m.File.Path, Line: cls.Line, Def: cls, Class: cls, Decl: decl, decorators: decs})
		placed = true
		if only != nil {
			served = append(served, verb)
		}
	}
	// methods= naming methods no HTTP-method function serves: the
	// project's own dispatch_request serves them (pgadmin's node views
	// define delete() next to a dispatch_request that routes GET and PUT).
	var rest []string
	for _, m := range only {
		if !contains(served, m) {
			rest = append(rest, m)
		}
	}
	if placed && len(rest) == 0 {
		return
	}
	if placed {
		if ref, def := classMember(chain, "dispatch_request"); def != nil && def.Kind == "function_definition" {
			decs := append(append([]*python.Node{}, wraps...), viewDecs...)
			decs = append(decs, Decorators(def)...)
			p.addRoute(o, rule, rest, endpoint, Route{Handler: cls.ChildByField("name").Text() + ".dispatch_request", File: ref.mod.File.Path,
				Line: def.Line, Def: def, Class: cls, Decl: decl, decorators: decs})
		}
		return
	}
	// A plain flask.views.View: one route served by its dispatch_request,
	// with the methods= of the registration, else the class's methods
	// attribute, else GET (as Flask's add_url_rule decides).
	ref, def := classMember(chain, "dispatch_request")
	if def == nil || def.Kind != "function_definition" {
		p.unresolved("view class " + cls.ChildByField("name").Text() + " defines neither HTTP-method functions nor dispatch_request in the project")
		return
	}
	methods := only
	if methods == nil {
		if _, mv := classMember(chain, "methods"); mv != nil {
			if ss, ok := p.Eval(mv).Strings(); ok && len(ss) > 0 {
				for _, s := range ss {
					methods = append(methods, strings.ToUpper(s))
				}
			}
		}
	}
	if methods == nil {
		methods = []string{"GET"}
	}
	decs := append(append([]*python.Node{}, wraps...), viewDecs...)
	decs = append(decs, Decorators(def)...)
	r := Route{Handler: cls.ChildByField("name").Text() + ".dispatch_request", File: ref.mod.File.Path,
		Line: def.Line, Def: def, Class: cls, Decl: decl, decorators: decs}
	p.addRoute(o, rule, methods, endpoint, r)
}

func methodDecorators(md *python.Node, verb string) []*python.Node {
	if md == nil {
		return nil
	}
	switch md.Kind {
	case "list", "tuple":
		return md.NamedChildren()
	case "dictionary":
		for _, pair := range md.NamedChildren() {
			if k, ok := pair.ChildByField("key").StringValue(); ok && strings.EqualFold(k, verb) {
				v := pair.ChildByField("value")
				if v.Kind == "list" || v.Kind == "tuple" {
					return v.NamedChildren()
				}
				return []*python.Node{v}
			}
		}
	}
	return nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// plainView reports whether the class chain's framework base is
// flask.views.View (not MethodView, nor a Flask-RESTful/restx Resource)
// and a project class of the chain defines dispatch_request.
func (p *Project) plainView(chain []classRef) bool {
	if _, d := classMember(chain, "dispatch_request"); d == nil || d.Kind != "function_definition" {
		return false
	}
	plain := false
	for _, c := range chain {
		for _, b := range c.cls.ChildByField("superclasses").NamedChildren() {
			if b.Kind == "keyword_argument" {
				continue // metaclass=...
			}
			if _, pc := p.ResolveClass(c.mod, b.DottedName()); pc != nil {
				continue
			}
			q := c.mod.Qualify(b.DottedName())
			switch {
			case strings.HasSuffix(q, "MethodView") || strings.HasSuffix(q, "Resource"):
				return false
			case q == "flask.views.View" || q == "flask.View" || strings.HasSuffix(q, "views.View"):
				plain = true
			}
		}
	}
	return plain
}

// classFunc resolves Class.name, a function defined in the body of a
// project class (a staticmethod, in practice) given as the view itself:
// add_url_rule(rule, view_func=AccountView.update_preferences).
func (p *Project) classFunc(view *python.Node) (*Module, *python.Node) {
	v := view.Unparen()
	m := p.ModuleOf(view)
	if v == nil || v.Kind != "attribute" || m == nil {
		return nil, nil
	}
	obj := v.ChildByField("object").DottedName()
	if obj == "" {
		return nil, nil
	}
	cm, cls := p.ResolveClass(m, obj)
	if cls == nil {
		return nil, nil
	}
	ref, def := classMember(p.classChain(cm, cls), v.ChildByField("attribute").Text())
	if def == nil || def.Kind != "function_definition" {
		return nil, nil
	}
	return ref.mod, def
}

// methodView reports whether a framework base of the class chain (one
// outside the project) is a MethodView.
func (p *Project) methodView(chain []classRef) bool {
	for _, c := range chain {
		for _, b := range c.cls.ChildByField("superclasses").NamedChildren() {
			if b.Kind == "keyword_argument" {
				continue
			}
			if _, pc := p.ResolveClass(c.mod, b.DottedName()); pc != nil {
				continue
			}
			if q := c.mod.Qualify(b.DottedName()); q == "MethodView" || strings.HasSuffix(q, ".MethodView") {
				return true
			}
		}
	}
	return false
}
