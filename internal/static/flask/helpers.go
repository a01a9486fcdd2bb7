package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// Registration helpers: a project function or method that registers a
// route with its own parameters (mwdb's Service.add_resource(resource,
// *urls) calling self.blueprint.add_url_rule(rule=url, ...) for each
// url). Each call of the helper is a declaration; the helper's body is
// evaluated with the call's arguments bound, and its own registration
// calls are templates, resolved when a call expands them.

// registrationHelper returns the project function or method a route
// registration call really calls (X.add_resource on a project class), or
// nil when it is Flask's own.
func (p *Project) registrationHelper(fn *python.Node) *python.Node {
	if fn == nil || fn.Kind != "attribute" {
		return nil
	}
	if o := p.ObjectAt(fn.ChildByField("object")); o != nil {
		return nil // an app, blueprint or Api: the framework's method
	}
	attr := fn.ChildByField("attribute").Text()
	for _, c := range p.classesOf(fn.ChildByField("object")) {
		if _, def := classMember(p.classChain(c.mod, c.cls), attr); def != nil && def.Kind == "function_definition" {
			return def
		}
	}
	return nil
}

// expandHelper adds the routes one call of a registration helper makes.
func (p *Project) expandHelper(m *Module, site, def *python.Node) {
	b := Binding{Names: map[string]*python.Node{}, Fn: def, Site: site}
	cs := CallSite{Call: site}
	params := Params(def)
	for _, name := range params {
		if a := cs.Arg(def, name); a != nil {
			b.Names[name] = a
		}
	}
	if len(params) > 0 && (params[0] == "self" || params[0] == "cls") {
		delete(b.Names, params[0]) // passed implicitly (CallSite.Arg shifts)
	}
	star, extra := varargs(def, site)
	def.ChildByField("body").Walk(func(c *python.Node) bool {
		if c.Kind == "function_definition" || c.Kind == "class_definition" {
			return false
		}
		if c.Kind != "call" {
			return true
		}
		f := c.ChildByField("function")
		if f == nil || f.Kind != "attribute" {
			return true
		}
		attr := f.ChildByField("attribute").Text()
		if attr != "add_url_rule" && attr != "add_resource" {
			return true
		}
		for _, bb := range bindStar(b, c, star, extra) {
			o := p.ObjectAt(b.Resolve(f.ChildByField("object")))
			if o == nil {
				continue
			}
			if attr == "add_url_rule" && o.Kind != "api" && o.Kind != "restx" && o.Kind != "namespace" {
				p.urlRuleWith(m, c, o, bb)
				p.expanded(c)
			}
		}
		return true
	})
	p.unresolved(p.helperWhy(def, site))
}

// expanded marks a helper's own registration call resolved: it is a
// template its callers fill in.
func (p *Project) expanded(c *python.Node) {
	if p.templates == nil {
		p.templates = map[*python.Node]bool{}
	}
	p.templates[c] = true
}

// varargs returns the name of def's *args parameter and the positional
// arguments a call passes into it.
func varargs(def, site *python.Node) (string, []*python.Node) {
	fixed := 0
	star := ""
	for _, prm := range def.ChildByField("parameters").NamedChildren() {
		splat := prm
		if prm.Kind == "typed_parameter" && len(prm.NamedChildren()) > 0 {
			splat = prm.NamedChildren()[0] // *urls: str
		}
		if splat.Kind == "list_splat_pattern" {
			if c := splat.NamedChildren(); len(c) > 0 {
				star = c[0].Text()
			}
			break
		}
		if prm.Kind == "keyword_separator" {
			break
		}
		fixed++
	}
	if star == "" {
		return "", nil
	}
	params := Params(def)
	if len(params) > 0 && (params[0] == "self" || params[0] == "cls") {
		fixed--
	}
	var extra []*python.Node
	for i := fixed; ; i++ {
		a := positional(site.ChildByField("arguments"), i)
		if a == nil {
			break
		}
		extra = append(extra, a)
	}
	return star, extra
}

// bindStar expands "for x in STAR:" around c over the call's extra
// positional arguments.
func bindStar(b Binding, c *python.Node, star string, extra []*python.Node) []Binding {
	if star == "" {
		return []Binding{b}
	}
	for a := c.Parent; a != nil && a.Kind != "function_definition"; a = a.Parent {
		if a.Kind != "for_statement" || a.ChildByField("right").Unparen().Text() != star {
			continue
		}
		targets := loopTargets(a.ChildByField("left"))
		if len(targets) != 1 {
			break
		}
		var out []Binding
		for _, e := range extra {
			nb := b
			nb.Loop = map[string]*python.Node{targets[0]: e}
			nb.Scope = a
			out = append(out, nb)
		}
		return out
	}
	return []Binding{b}
}

// expandFactory adds the routes of a route factory's add_url_rule for
// each call of the factory: the receiver, the rule and the view are the
// call's arguments (a loop over a list parameter gives one rule per
// element). Each call is a declaration of its own.
func (p *Project) expandFactory(m *Module, call, recv, factory, loop *python.Node) {
	tmpl := p.curDecl
	for _, b := range p.Bindings(factory, 0) {
		bs := []Binding{b}
		if loop != nil {
			bs = nil
			list := p.EvalIn(loop.ChildByField("right"), b)
			targets := loopTargets(loop.ChildByField("left"))
			if list.Kind != List {
				continue
			}
			for _, it := range list.Items {
				nb := b
				nb.Loop = map[string]*python.Node{}
				nb.Scope = loop
				nb.Item = it.Node
				switch {
				case len(targets) == 1:
					nb.Loop[targets[0]] = it.Node
				case it.Kind == List && len(it.Items) == len(targets):
					// for path, resource in ROUTES: one (path, view) pair
					for i, t := range targets {
						nb.Loop[t] = it.Items[i].Node
					}
				default:
					continue
				}
				bs = append(bs, nb)
			}
		}
		if b.Site != nil {
			p.declare(b.Site)
		}
		for _, bb := range bs {
			for _, o := range p.objectsAt(recv, bb, 0) {
				if o.Kind == "api" || o.Kind == "restx" || o.Kind == "namespace" {
					continue
				}
				p.urlRuleWith(m, call, o, bb)
			}
		}
		if p.curDecl != nil && !p.curDecl.Resolved {
			p.unresolved("this call of the route helper " + factory.ChildByField("name").Text() + "() passes a receiver, rule or view the analysis cannot resolve")
		}
		if p.curDecl != nil && p.curDecl.Resolved && tmpl != nil {
			tmpl.Resolved = true
		}
	}
	p.curDecl = tmpl
	if tmpl != nil && !tmpl.Resolved {
		p.unresolved("the rule is a parameter of the route helper " + factory.ChildByField("name").Text() + "(), and no call of it resolves")
	}
}
