package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// throwaway reports whether an app is made in a function only to be
// looked at: bound to a local name that is used only as the receiver of
// its own attributes (register_blueprint, url_map.iter_rules(), config)
// and never returned, passed, stored, yielded or run. Such an app
// (get_path_metadata's Flask("dummy") that lists a blueprint's rules)
// serves nothing; the blueprints registered on it are not served there.
func throwaway(o *Object) bool {
	if o == nil || o.Kind != "app" || o.Node == nil {
		return false
	}
	fn := o.Node.Ancestor("function_definition")
	assign := o.Node.Parent
	if fn == nil || assign == nil || assign.Kind != "assignment" || assign.ChildByField("right") != o.Node {
		return false
	}
	left := assign.ChildByField("left")
	if left == nil || left.Kind != "identifier" {
		return false
	}
	name := left.Text()
	if declaredGlobal(fn, name) {
		return false
	}
	escapes := false
	fn.ChildByField("body").Walk(func(n *python.Node) bool {
		if escapes {
			return false
		}
		if n.Kind != "identifier" || n.Text() != name || n == left {
			return true
		}
		par := n.Parent
		if par == nil || par.Kind != "attribute" || par.ChildByField("object") != n {
			escapes = true // returned, passed, stored, rebound, yielded
			return false
		}
		switch par.ChildByField("attribute").Text() {
		case "run", "wsgi_app", "__call__":
			escapes = true // served from here
		}
		return true
	})
	return !escapes
}

// declaredGlobal reports whether fn declares name global or nonlocal.
func declaredGlobal(fn *python.Node, name string) bool {
	found := false
	fn.ChildByField("body").Walk(func(n *python.Node) bool {
		if found {
			return false
		}
		if n.Kind == "global_statement" || n.Kind == "nonlocal_statement" {
			for _, c := range n.NamedChildren() {
				if c.Text() == name {
					found = true
				}
			}
		}
		return true
	})
	return found
}
