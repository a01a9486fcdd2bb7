package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// Names bound by tuple unpacking in a function: bp, api =
// make_blueprint_and_api(name), where the project function returns a
// tuple (return blueprint, Api(blueprint)), or a, b = X, Y.

// unpackAssign is the tuple assignment in n's function (the last one
// before n, outside nested functions) that binds name, and the index of
// name in its targets; nil when there is none.
func unpackAssign(n *python.Node, name string) (*python.Node, int) {
	fn := n.Ancestor("function_definition")
	if fn == nil {
		return nil, -1
	}
	var found *python.Node
	idx := -1
	fn.ChildByField("body").Walk(func(c *python.Node) bool {
		switch c.Kind {
		case "function_definition", "class_definition", "lambda":
			return false
		case "assignment":
			if c.End > n.Start {
				return false
			}
			left := c.ChildByField("left").Unparen()
			if left == nil || (left.Kind != "pattern_list" && left.Kind != "tuple_pattern" && left.Kind != "list_pattern") {
				return true
			}
			for i, t := range left.NamedChildren() {
				if t.Kind == "identifier" && t.Text() == name {
					found, idx = c, i
				}
			}
		}
		return true
	})
	return found, idx
}

// tupleParts returns the i-th part of what rhs gives: the element of a
// literal tuple or list, or the i-th element of each tuple a project
// function it calls returns.
func (p *Project) tupleParts(rhs *python.Node, i int, b Binding) []*python.Node {
	rhs = rhs.Unparen()
	if rhs == nil {
		return nil
	}
	switch rhs.Kind {
	case "tuple", "list", "expression_list":
		if cs := rhs.NamedChildren(); i < len(cs) {
			return []*python.Node{cs[i]}
		}
	case "call":
		var out []*python.Node
		for _, def := range p.calleeDefs(rhs.ChildByField("function"), b) {
			for _, r := range returns(def) {
				if u := r.Unparen(); u != nil && (u.Kind == "tuple" || u.Kind == "expression_list" || u.Kind == "list") {
					if cs := u.NamedChildren(); i < len(cs) {
						out = append(out, cs[i])
					}
				}
			}
		}
		return out
	}
	return nil
}

// unpackedObjects resolves a name bound by tuple unpacking to the
// objects of its part.
func (p *Project) unpackedObjects(n *python.Node, b Binding, depth int) []*Object {
	a, i := unpackAssign(n, n.Text())
	if a == nil {
		return nil
	}
	var out []*Object
	for _, part := range p.tupleParts(a.ChildByField("right"), i, b) {
		out = append(out, p.objectsAt(part, Binding{}, depth+1)...)
	}
	return out
}
