package flask

// Names bound by for loops and the dict rows they run over: which loop
// binds a name, and the dict literals a loop variable stands for.

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// loopOver returns the for statement whose target binds identifier n
// around it, or nil.
func loopOver(n *python.Node) *python.Node {
	for a := n.Parent; a != nil && a.Kind != "function_definition" && a.Kind != "module"; a = a.Parent {
		if a.Kind != "for_statement" || !a.ChildByField("body").Contains(n) {
			continue
		}
		for _, t := range loopTargets(a.ChildByField("left")) {
			if t == n.Text() {
				if left := a.ChildByField("left").Unparen(); left.Kind == "identifier" {
					return a
				}
				return nil // tuple targets: only an expanded binding knows the part
			}
		}
	}
	return nil
}

// loopBinding returns the for statement around n whose targets (one name
// or a tuple of them) bind n, or nil.
func loopBinding(n *python.Node) *python.Node {
	for a := n.Parent; a != nil && a.Kind != "function_definition" && a.Kind != "module"; a = a.Parent {
		if a.Kind != "for_statement" || !a.ChildByField("body").Contains(n) {
			continue
		}
		for _, t := range loopTargets(a.ChildByField("left")) {
			if t == n.Text() {
				return a
			}
		}
	}
	return nil
}

// dictsAt are the dict literals a name stands for: its loop binding, or
// the elements of the literal list its for loop runs over.
func (p *Project) dictsAt(n *python.Node, b Binding) []*python.Node {
	n = n.Unparen()
	if n == nil || n.Kind != "identifier" {
		return nil
	}
	var elems []*python.Node
	if v, ok := b.Loop[n.Text()]; ok && v != nil && b.Scope != nil && b.Scope.Contains(n) {
		elems = []*python.Node{v}
	} else if loop := loopOver(n); loop != nil {
		list := loop.ChildByField("right").Unparen()
		if list != nil && list.Kind == "identifier" {
			if rhs := p.nameRHS(p.ModuleOf(list), list, list.Text(), 0); rhs != nil {
				list = rhs.Unparen()
			}
		}
		if list != nil && (list.Kind == "list" || list.Kind == "tuple") {
			elems = list.NamedChildren()
		}
	}
	var out []*python.Node
	for _, e := range elems {
		if e = e.Unparen(); e != nil && e.Kind == "dictionary" {
			out = append(out, e)
		}
	}
	return out
}
