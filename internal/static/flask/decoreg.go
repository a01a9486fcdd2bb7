package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// Registering decorators: a project decorator factory whose wrapper
// registers what it decorates with the factory's arguments (quay's
// @resource("/v1/user/") calling api.add_resource(cls, *urls); a
// @route(path) calling app.add_url_rule(path, view_func=f)). The
// decorator is the registration; the wrapper's own call is a template.

// decoratorRegistration expands decorator d (a call of project factory
// def) on target (the decorated class or function); false when def is not
// a registering decorator.
func (p *Project) decoratorRegistration(m *Module, d, def, target *python.Node) bool {
	var wrapper *python.Node
	for _, r := range returns(def) {
		if r.Unparen().Kind == "identifier" {
			if w := localFunc(r.Unparen()); w != nil && def.Contains(w) {
				wrapper = w
			}
		}
	}
	if wrapper == nil || len(Params(wrapper)) == 0 {
		return false
	}
	calls := registrationCalls(wrapper)
	if len(calls) == 0 {
		return false
	}
	b := Binding{Names: map[string]*python.Node{}, Fn: def, Site: d}
	for _, name := range Params(def) {
		if a := (CallSite{Call: d}).Arg(def, name); a != nil {
			b.Names[name] = a
		}
	}
	b.Star, b.Extra = varargs(def, d)
	b.Kwargs = map[string]*python.Node{}
	named := map[string]bool{}
	for _, name := range Params(def) {
		named[name] = true
	}
	for _, a := range d.ChildByField("arguments").NamedChildren() {
		if a.Kind == "keyword_argument" && !named[a.ChildByField("name").Text()] {
			b.Kwargs[a.ChildByField("name").Text()] = a.ChildByField("value")
		}
	}
	b.Names[Params(wrapper)[0]] = target.ChildByField("name")
	p.expandRegistrations(m, d, calls, b)
	return true
}

// bareRegistration expands a project decorator used by name (not
// called) that registers what it decorates itself:
//
//	def rest_resource(resource_cls):
//	    api_rest.add_resource(resource_cls, *resource_cls.endpoints)
//	    return resource_cls
//
// Its first parameter is the decorated class or function; false when
// def registers nothing.
func (p *Project) bareRegistration(m *Module, d, def, target *python.Node) bool {
	prm := Params(def)
	if len(prm) == 0 || prm[0] == "self" || prm[0] == "cls" && def.Ancestor("class_definition") != nil {
		return false
	}
	calls := registrationCalls(def)
	if len(calls) == 0 {
		return false
	}
	b := Binding{Names: map[string]*python.Node{prm[0]: target.ChildByField("name")}, Fn: def, Site: d}
	p.expandRegistrations(m, d, calls, b)
	return true
}

// registrationCalls are the add_resource / add_url_rule calls in fn's own
// body (not in nested definitions).
func registrationCalls(fn *python.Node) []*python.Node {
	var calls []*python.Node
	fn.ChildByField("body").Walk(func(c *python.Node) bool {
		if c.Kind == "function_definition" || c.Kind == "class_definition" {
			return false
		}
		if c.Kind == "call" {
			if f := c.ChildByField("function"); f.Kind == "attribute" {
				if a := f.ChildByField("attribute").Text(); a == "add_resource" || a == "add_url_rule" {
					calls = append(calls, c)
				}
			}
		}
		return true
	})
	return calls
}

// expandRegistrations declares decorator d and runs a registering
// decorator's calls (templates) under b.
func (p *Project) expandRegistrations(m *Module, d *python.Node, calls []*python.Node, b Binding) {
	p.declare(d)
	for _, c := range calls {
		f := c.ChildByField("function")
		p.expanded(c)
		o := p.ObjectAt(f.ChildByField("object"))
		if o == nil {
			p.unresolved(p.receiverReason(f.ChildByField("object")))
			continue
		}
		if f.ChildByField("attribute").Text() == "add_resource" {
			p.resourceIn(m, c, o, b)
		} else {
			p.urlRuleWith(m, c, o, b)
		}
	}
}
