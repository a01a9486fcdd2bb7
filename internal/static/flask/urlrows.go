package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// Tables of add_url_rule rows: add_url_rule(*row) over a loop, and a
// helper that makes its blueprint per call over the rows it is passed.

// isRow reports whether a loop element is a row of a table (a tuple, list
// or dict literal of its fields, in a file), which the registration
// counts once per row.
func isRow(n *python.Node) bool {
	if n == nil || n.File == nil {
		return false
	}
	switch n.Kind {
	case "tuple", "list", "dictionary":
		return true
	case "call": // a decoration that filled a registry (registry.go)
		return n.Parent != nil && n.Parent.Kind == "decorator"
	case "identifier": // a decorated function a registry holds (registry.go)
		return n.Parent != nil && n.Parent.Kind == "function_definition" && n.Parent.ChildByField("name") == n
	}
	return false
}

func whyTail(why string) string {
	if why == "" {
		return ""
	}
	return ": " + why
}

// splatPositional is the i-th positional argument of a call, a splat of
// a row the binding gives (add_url_rule(*row) with row a literal tuple)
// spread in place; nil when there is none.
func splatPositional(args *python.Node, i int, b Binding) *python.Node {
	if args == nil {
		return nil
	}
	k := 0
	for _, a := range args.NamedChildren() {
		switch a.Kind {
		case "keyword_argument", "dictionary_splat":
			continue
		case "list_splat":
			inner := a.NamedChildren()
			if len(inner) == 0 {
				return nil
			}
			row := b.bound(inner[0]).Unparen()
			if row == nil || (row.Kind != "tuple" && row.Kind != "list") {
				return nil
			}
			for _, c := range row.NamedChildren() {
				if k == i {
					return c
				}
				k++
			}
			continue
		}
		if k == i {
			return a
		}
		k++
	}
	return nil
}

// splatRows registers add_url_rule(*row) over a loop on a table of rows:
// each row spread into the call's arguments, one registration per row;
// false when the loop gives no row whose rule is a constant.
func (p *Project) splatRows(m *Module, call *python.Node, o *Object) bool {
	bs, _ := p.loopExpansions(call)
	args := call.ChildByField("arguments")
	placed := false
	for _, b := range bs {
		placed = placed || p.EvalIn(splatPositional(args, 0, b), b).Kind == Str
	}
	if !placed {
		return false
	}
	outer := p.curDecl
	for _, b := range bs {
		if isRow(b.Item) {
			p.declareRow(call, b.Item)
		}
		if p.EvalIn(splatPositional(args, 0, b), b).Kind == Str {
			p.urlRuleWith(m, call, o, b)
		} else {
			p.unresolved("the rule of this row is not a constant")
		}
	}
	delete(p.declOf, call) // counted by its rows
	p.curDecl = outer
	return true
}

// urlRulePerCall expands an add_url_rule of a helper that makes its
// blueprint per call: each call site on its own instance, over the rows
// of the table that call passes; each call, or each row, is a
// registration.
func (p *Project) urlRulePerCall(m *Module, call *python.Node, o *Object, fn *python.Node, sites []Binding, ruleN *python.Node) {
	outer := p.curDecl
	for _, cs := range sites {
		io := p.perCallObject(o, fn, cs, 0)
		p.declare(cs.Site)
		bs, why := p.loopExpansionsIn(call, cs)
		if why != "" {
			p.unresolved("this call of " + fn.ChildByField("name").Text() + "() registers rules the analysis cannot list: " + why)
			continue
		}
		if bs == nil {
			bs = []Binding{cs}
		}
		rows := false
		for _, b := range bs {
			if isRow(b.Item) && b.Item != cs.Item {
				p.declareRow(call, b.Item)
				rows = true
			}
			if p.ruleIn(ruleN, b).Kind == Str {
				p.urlRuleWith(m, call, io, b)
			} else {
				p.unresolved("this call of " + fn.ChildByField("name").Text() + "() gives a rule the analysis cannot compute (`" + short(ruleN.Text()) + "`)")
			}
		}
		if rows {
			delete(p.declOf, cs.Site)
		}
	}
	delete(p.declOf, call)
	p.curDecl = outer
}
