package flask

// Names in a function's scope: parameters, local assignments before a use,
// branches, class attributes and rebinding.

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

func isParam(fn *python.Node, name string) bool {
	params := fn.ChildByField("parameters")
	for _, prm := range params.NamedChildren() {
		id := prm
		if prm.Kind != "identifier" {
			id = prm.ChildByField("name")
			if id == nil && len(prm.NamedChildren()) > 0 {
				id = prm.NamedChildren()[0]
			}
		}
		if id != nil && id.Text() == name {
			return true
		}
	}
	return false
}

// LocalAssign returns the right-hand side of the last assignment to name
// in fn (outside nested functions) before offset, or the first one after it.
func LocalAssign(fn *python.Node, name string, offset int) *python.Node {
	before, after := localAssigns(fn, name, offset)
	if before != nil {
		return before
	}
	return after
}

// localAssigns returns the last assignment to name that ends before offset
// and the first one that starts after it; one that contains offset (x =
// f(x)) is neither.
func localAssigns(fn *python.Node, name string, offset int) (before, after *python.Node) {
	for _, c := range scopeAssigns(fn)[name] {
		rhs := c.ChildByField("right")
		if otherBranch(c, offset) {
			continue
		}
		switch {
		case c.End <= offset:
			before = rhs
		case c.Start > offset && after == nil:
			after = rhs
		}
	}
	return before, after
}

// otherBranch reports whether assignment c sits in a branch of an if
// statement whose other branch holds offset: "if not bps: bps = DEFAULT
// else: bps = bps + DEFAULT" — the second bps is the parameter, not the
// first branch's value, which never reaches it.
func otherBranch(c *python.Node, offset int) bool {
	for x := c.Parent; x != nil; x = x.Parent {
		if x.Start <= offset && offset < x.End {
			return x.Kind == "if_statement"
		}
	}
	return false
}

// scopeAssigns indexes the assignments to plain names in fn's body
// (outside nested functions, classes and lambdas), in source order, once
// per function.
func scopeAssigns(fn *python.Node) map[string][]*python.Node {
	f := fn.File
	if f == nil {
		return nil
	}
	if f.Scopes == nil {
		f.Scopes = map[*python.Node]map[string][]*python.Node{}
	}
	if m, ok := f.Scopes[fn]; ok {
		return m
	}
	m := map[string][]*python.Node{}
	fn.ChildByField("body").Walk(func(c *python.Node) bool {
		if c.Kind == "function_definition" || c.Kind == "class_definition" || c.Kind == "lambda" {
			return false
		}
		if c.Kind == "assignment" {
			if left := c.ChildByField("left"); left != nil && left.Kind == "identifier" {
				m[left.Text()] = append(m[left.Text()], c)
			}
		}
		return true
	})
	f.Scopes[fn] = m
	return m
}

func classAttr(cls *python.Node, name string) *python.Node {
	for _, st := range cls.ChildByField("body").NamedChildren() {
		for _, a := range st.NamedChildren() {
			if a.Kind == "assignment" && a.ChildByField("left").Text() == name {
				return a.ChildByField("right")
			}
		}
	}
	return nil
}

// rebound reports whether the module around n assigns name itself.
func rebound(n *python.Node, name string) bool {
	m := n.Ancestor("module")
	if m == nil {
		return false
	}
	for _, st := range m.NamedChildren() {
		if st.Kind == "expression_statement" {
			for _, a := range st.NamedChildren() {
				if a.Kind == "assignment" && a.ChildByField("left").Text() == name {
					return true
				}
			}
		}
	}
	return false
}
