package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// Blueprints a helper makes from its parameters and hands back, one per
// call:
//
//	def make_section(name, base="/api"):
//	    prefix = "%s/%s" % (base, name)
//	    section = Blueprint(name, __name__, url_prefix=prefix)
//	    section.before_request(guard)
//	    return section
//
//	orders = make_section("orders")
//
// Each name bound to such a call is its own blueprint, whose name and
// url_prefix are the constructor's arguments evaluated with that call's
// arguments bound (the helper's body run up to the constructor, so that
// locals built from the parameters count). What the helper does to its
// local object (hooks, error handlers) holds for each: the instance's Of
// is the local object. A helper that declares routes on or registers its
// local object itself keeps the one local object (its routes are its own).

// routeUses are the attributes by which a helper would declare routes on
// (or register) the object it makes.
var routeUses = map[string]bool{
	"route": true, "add_url_rule": true, "register_blueprint": true, "add_resource": true,
	"get": true, "post": true, "put": true, "patch": true, "delete": true,
}

// returnedLocal is the blueprint constructor def's local variable r (a
// name def returns) is bound to, when the constructor depends on def's
// parameters and def declares no route on it; nil otherwise.
func (p *Project) returnedLocal(def, r *python.Node) *python.Node {
	name := r.Text()
	assigns := scopeAssigns(def)[name]
	if len(assigns) != 1 {
		return nil
	}
	ctor := assigns[0].ChildByField("right").Unparen()
	if ctor == nil || ctor.Kind != "call" {
		return nil
	}
	if p.objectKind(p.ModuleOf(ctor), ctor.ChildByField("function").DottedName()) != "blueprint" {
		return nil
	}
	params := map[string]bool{}
	for _, prm := range Params(def) {
		params[prm] = true
	}
	// The constructor or a local it reads is built from a parameter.
	dependent := mentions(ctor.ChildByField("arguments"), params)
	for _, a := range ctor.ChildByField("arguments").NamedChildren() {
		a.Walk(func(c *python.Node) bool {
			if c.Kind == "identifier" && !params[c.Text()] {
				for _, asg := range scopeAssigns(def)[c.Text()] {
					dependent = dependent || mentions(asg.ChildByField("right"), params)
				}
			}
			return !dependent
		})
	}
	if !dependent {
		return nil
	}
	used := false
	def.ChildByField("body").Walk(func(c *python.Node) bool {
		switch c.Kind {
		case "function_definition", "class_definition", "lambda":
			return !used
		case "attribute":
			if o := c.ChildByField("object").Unparen(); o != nil && o.Kind == "identifier" && o.Text() == name &&
				routeUses[c.ChildByField("attribute").Text()] {
				used = true
			}
		}
		return !used
	})
	if used {
		return nil
	}
	return ctor
}

// helperCtorBinding is the binding the constructor ctor in def is
// evaluated under for one call: the call's arguments and the locals
// def's body assigned before it (when the run reaches it once).
func (p *Project) helperCtorBinding(def, ctor *python.Node, bind Binding) Binding {
	hits, _ := p.runTo(def, ctor, bind)
	if len(hits) == 1 {
		return hits[0]
	}
	return bind
}

// linkReturnedLocals sets Of on the per-call blueprints: the helper's
// local object their constructor belongs to.
func (p *Project) linkReturnedLocals() {
	for k, o := range p.objects {
		if o.Node == nil || o.Of != nil {
			continue
		}
		def := o.Node.Ancestor("function_definition")
		asg := o.Node.Parent
		for asg != nil && asg.Kind == "parenthesized_expression" {
			asg = asg.Parent
		}
		if def == nil || def == k.fn || asg == nil || asg.Kind != "assignment" {
			continue
		}
		left := asg.ChildByField("left")
		if left == nil || left.Kind != "identifier" {
			continue
		}
		if local := p.objects[objKey{p.ModuleOf(def), def, left.Text()}]; local != nil && local != o {
			o.Of = local
		}
	}
}

// helperInstance is the per-call blueprint the helper call n is bound to
// by an assignment (orders = make_section("orders")), or nil.
func (p *Project) helperInstance(n *python.Node) *Object {
	asg := n.Parent
	for asg != nil && asg.Kind == "parenthesized_expression" {
		asg = asg.Parent
	}
	if asg == nil || asg.Kind != "assignment" || asg.ChildByField("right").Unparen() != n {
		return nil
	}
	key, ok := p.bindingKey(p.ModuleOf(n), asg, asg.ChildByField("left"))
	if !ok {
		return nil
	}
	if o := p.objects[key]; o != nil && o.Of != nil && o.Node != nil && o.Node.Ancestor("function_definition") != nil {
		return o
	}
	return nil
}
