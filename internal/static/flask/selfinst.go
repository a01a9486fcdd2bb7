package flask

import (
	"sort"

	"github.com/authprobe/authprobe/internal/static/python"
)

// An app (or blueprint) subclass registering its routes in its own
// methods, on self:
//
//	class Server(Flask):
//	    def __init__(self):
//	        super().__init__(__name__)
//	        self.configure_routes()
//
//	    def configure_routes(self):
//	        @self.route("/login")
//	        def login(): ...
//
//	server = Server()
//
// self stands for every instance the project makes of the class (or of a
// project subclass of it): each is an object of the model, and the routes
// are registered on each.

// selfInstances are the instances self stands for in method fn of an app
// or blueprint subclass; nil for any other function.
func (p *Project) selfInstances(fn *python.Node) []*Object {
	ps := Params(fn)
	cls := fn.Ancestor("class_definition")
	if len(ps) == 0 || ps[0] != "self" || cls == nil {
		return nil
	}
	if outer := fn.Ancestor("function_definition"); outer != nil && cls.Contains(outer) {
		return nil // a function nested in a method
	}
	if p.classKind(p.ModuleOf(cls), cls) == "" {
		return nil
	}
	return p.instancesOf(cls)
}

// instancesOf are the objects made by constructing cls or a project
// subclass of it, in source order.
func (p *Project) instancesOf(cls *python.Node) []*Object {
	var out []*Object
	for _, o := range p.objects {
		call := o.Node.Unparen()
		if call == nil || call.Kind != "call" {
			continue
		}
		cm, c := p.ResolveClass(p.ModuleOf(call), call.ChildByField("function").DottedName())
		if c == nil {
			continue
		}
		for _, r := range p.classChain(cm, c) {
			if r.cls == cls {
				out = append(out, o)
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Node, out[j].Node
		if a.File.Path != b.File.Path {
			return a.File.Path < b.File.Path
		}
		return a.Start < b.Start
	})
	return out
}
