package flask

import "github.com/authprobe/authprobe/internal/static/python"

// Delegates are the project functions a view hands the request to: the
// calls its body makes to a project function (helpers.create(...)) or to a
// method of a project class named through the class (TaskController.add()),
// in the order they appear. A view that only delegates reads its request
// in them.
func (p *Project) Delegates(view *python.Node) []*python.Node {
	var out []*python.Node
	seen := map[*python.Node]bool{view: true}
	view.ChildByField("body").Walk(func(n *python.Node) bool {
		switch n.Kind {
		case "function_definition", "class_definition", "lambda":
			return false
		case "call":
			if def := p.delegate(n); def != nil && !seen[def] {
				seen[def] = true
				out = append(out, def)
			}
		}
		return true
	})
	return out
}

func (p *Project) delegate(call *python.Node) *python.Node {
	fn := call.ChildByField("function").Unparen()
	m := p.ModuleOf(call)
	if fn == nil || m == nil {
		return nil
	}
	if _, def := p.ResolveFunc(m, fn.DottedName()); def != nil {
		return def
	}
	if fn.Kind != "attribute" {
		return nil
	}
	obj := fn.ChildByField("object").DottedName()
	if obj == "" {
		return nil
	}
	cm, cls := p.ResolveClass(m, obj)
	if cls == nil {
		return nil
	}
	_, def := classMember(p.classChain(cm, cls), fn.ChildByField("attribute").Text())
	if def == nil || def.Kind != "function_definition" {
		return nil
	}
	return def
}
