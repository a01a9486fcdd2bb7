package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Class handlers made into views by the receiver. A project may subclass
// Blueprint (or Flask) and override add_url_rule so that it accepts a
// request-handler class and turns it into a view before it forwards to
// the framework:
//
//	class HandlerBlueprint(Blueprint):
//	    def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
//	        if view_func is not None:
//	            view_func = make_view(view_func)
//	        super().add_url_rule(rule, endpoint, view_func, **options)
//
//	bp = HandlerBlueprint("events", __name__)
//	bp.add_url_rule("/events/<int:id>", "event", RHEvent, methods=("GET", "POST"))
//
// The registration serves the class under the rule: a class with
// per-verb methods (get, post, ...) is one route per verb the rule allows,
// as a MethodView is; any other class is one route with the rule's
// methods (GET when none), whose handler is the class.

// viewOverride is the receiver class's own add_url_rule when it rebinds
// the view parameter through a call before it forwards to the framework
// (super().add_url_rule or Base.add_url_rule); nil otherwise.
func (p *Project) viewOverride(o *Object) *python.Node {
	if o == nil || o.Node == nil || o.Node.Kind != "call" {
		return nil
	}
	m := p.ModuleOf(o.Node)
	cm, cls := p.ResolveClass(m, o.Node.ChildByField("function").DottedName())
	if cls == nil {
		cm, cls = m, localClass(o.Node.ChildByField("function"))
	}
	if cls == nil {
		return nil
	}
	_, def := classMember(p.classChain(cm, cls), "add_url_rule")
	if def == nil || def.Kind != "function_definition" {
		return nil
	}
	params := Params(def)
	if len(params) < 4 {
		return nil
	}
	view := params[3] // self, rule, endpoint, view_func
	rebound, forwards := false, false
	def.ChildByField("body").Walk(func(x *python.Node) bool {
		switch x.Kind {
		case "function_definition", "class_definition":
			return false
		case "assignment":
			if l := x.ChildByField("left"); l != nil && l.Text() == view {
				if r := x.ChildByField("right").Unparen(); r != nil && r.Kind == "call" && strings.Contains(r.ChildByField("arguments").Text(), view) {
					rebound = true
				}
			}
		case "call":
			if f := x.ChildByField("function"); f.Kind == "attribute" && f.ChildByField("attribute").Text() == "add_url_rule" {
				recv := f.ChildByField("object").Unparen()
				if recv.Kind == "call" && recv.ChildByField("function").Text() == "super" || recv.Kind != "call" && recv.Text() != "self" {
					forwards = true
				}
			}
		}
		return true
	})
	if rebound && forwards {
		return def
	}
	return nil
}

// wrappedClassRoutes adds the routes of a handler class given to a
// receiver whose add_url_rule makes it a view; false when the view is not
// a class or the receiver does not convert it.
func (p *Project) wrappedClassRoutes(o *Object, view *python.Node, call *python.Node, rule, endpoint string, methods []string, only bool, wraps []*python.Node) bool {
	if view == nil || view.DottedName() == "" {
		return false
	}
	cm, cls := p.ResolveClass(p.ModuleOf(view), view.DottedName())
	if cls == nil || p.viewOverride(o) == nil {
		return false
	}
	name := cls.ChildByField("name").Text()
	if endpoint == "" {
		endpoint = name
	}
	chain := p.classChain(cm, cls)
	for _, verb := range httpMethods {
		if _, d := classMember(chain, verb); d != nil && d.Kind == "function_definition" && verb != "head" && verb != "options" {
			var filter []string
			if only {
				filter = methods
			}
			p.classRoutes(cm, cls, o, rule, endpoint, filter, call, wraps)
			return true
		}
	}
	r := Route{Handler: name, File: cm.File.Path, Line: cls.Line, Def: cls, Class: cls, Decl: call,
		decorators: append(append([]*python.Node{}, wraps...), Decorators(cls)...)}
	p.addRoute(o, rule, methods, endpoint, r)
	return true
}
