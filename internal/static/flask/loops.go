package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// Registrations inside for loops over constant tables: every enclosing
// loop (outermost first, in a function or at module level) is expanded
// over its list — a literal, a name bound to one, d.items(), chain(...)
// — the inner loops' lists evaluated under the outer loops' elements:
//
//	for kind, prefixes in RULES.items():
//	    for prefix in prefixes:
//	        bp.add_url_rule(prefix + "/files", "files", files)
//
// The body is run up to the call for each element: a variable assigned
// before the call (prefix = "/event" + prefix, prefix += "/manage") has
// the value of that run, an if whose condition is decided by the element
// (if kind == "category": ...) takes its branch, and one that is not
// decided leaves what it assigns unknown.

// maxLoopBindings bounds the expansion of nested loops.
const maxLoopBindings = 512

// loopExpansions returns one binding per combination of the elements of
// the loops around call; nil when there is no loop, a list is not
// constant, or a loop variable is rebound in its body (why says which).
func (p *Project) loopExpansions(call *python.Node) (bs []Binding, why string) {
	return p.loopExpansionsIn(call, Binding{})
}

// loopExpansionsIn is loopExpansions with the parameters of the function
// around the call bound by base (one call site of it): a loop over a
// parameter (def mount(view, rows): for url, defaults in rows: ...) runs
// over the list that call passes.
func (p *Project) loopExpansionsIn(call *python.Node, base Binding) (bs []Binding, why string) {
	var loops []*python.Node
	scope := (*python.Node)(nil)
	for a := call.Parent; a != nil && a.Kind != "function_definition" && a.Kind != "class_definition" && a.Kind != "module"; a = a.Parent {
		if a.Kind == "for_statement" && a.ChildByField("body").Contains(call) {
			loops = append([]*python.Node{a}, loops...)
			scope = a
		}
		// [api.add_resource(R, u) for R, u in TABLE]: the comprehension's
		// for clauses, outermost first, over the element it builds.
		if isComprehension(a.Kind) && len(a.NamedChildren()) > 0 && a.NamedChildren()[0].Contains(call) {
			var clauses []*python.Node
			for _, c := range a.NamedChildren()[1:] {
				if c.Kind == "for_in_clause" {
					clauses = append(clauses, c)
				}
			}
			loops = append(clauses, loops...)
			scope = a
		}
	}
	if len(loops) == 0 {
		return nil, ""
	}
	if loops[0].Kind == "for_statement" {
		scope = loops[0]
	} else if c := loops[0].Parent; c != nil {
		scope = c
	}
	site := call
	if base.Site != nil {
		site = base.Site
	}
	seed := func(item *python.Node) Binding {
		return Binding{Site: site, Loop: map[string]*python.Node{}, Scope: scope, Item: item,
			Names: base.Names, Fn: base.Fn, Star: base.Star, Extra: base.Extra, Kwargs: base.Kwargs}
	}
	bs = []Binding{seed(nil)}
	for _, l := range loops {
		targets := loopTargets(l.ChildByField("left"))
		var next []Binding
		for _, b := range bs {
			list := p.EvalIn(l.ChildByField("right"), b)
			if list.Kind != List {
				list = p.returnedTable(l.ChildByField("right"), b)
			}
			if list.Kind != List || mutated(l.ChildByField("right")) {
				return nil, "the loop list `" + short(l.ChildByField("right").Text()) + "` is not a constant"
			}
			for _, item := range list.Items {
				nb := seed(item.Node)
				for k, v := range b.Loop {
					nb.Loop[k] = v
				}
				for i, t := range targets {
					switch {
					case len(targets) == 1:
						nb.Loop[t] = item.Node
					case item.Kind == List && i < len(item.Items):
						nb.Loop[t] = item.Items[i].Node
					default:
						nb.Loop[t] = nil
					}
				}
				next = append(next, nb)
				if len(next) > maxLoopBindings {
					return nil, "the loops expand to more than 512 registrations"
				}
			}
		}
		bs = next
	}
	// The loop body run up to the call, per element: assignments and
	// decided if branches give the names their values; an element for
	// which the call is not reached registers nothing.
	var out []Binding
	for _, b := range bs {
		b.Vals = map[string]Value{}
		if loops[0].Kind != "for_statement" {
			out = append(out, b) // a comprehension: no statements run
			continue
		}
		if p.execTo(loops[0].ChildByField("body"), call, &b) {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return nil, "no element of the loop list reaches the call"
	}
	return out, ""
}

// mutated reports whether the list a loop iterates is a name its scope
// changes after binding it (append, extend, insert, +=, item assignment):
// its literal is then not what the loop sees.
func mutated(n *python.Node) bool {
	n = n.Unparen()
	if n == nil || n.Kind != "identifier" {
		return false
	}
	scope := n.Ancestor("function_definition")
	if scope == nil {
		scope = n.Ancestor("module")
	}
	if scope == nil {
		return false
	}
	name, found := n.Text(), false
	scope.Walk(func(x *python.Node) bool {
		if found {
			return false
		}
		switch x.Kind {
		case "call":
			if f := x.ChildByField("function"); f != nil && f.Kind == "attribute" && f.ChildByField("object").Text() == name {
				switch f.ChildByField("attribute").Text() {
				case "append", "extend", "insert", "update", "add":
					found = true
				}
			}
		case "augmented_assignment":
			if l := x.ChildByField("left"); l != nil && l.Text() == name {
				found = true
			}
		case "assignment":
			if l := x.ChildByField("left"); l != nil && l.Kind == "subscript" && l.ChildByField("value").Text() == name {
				found = true
			}
		}
		return true
	})
	return found
}

// isComprehension reports whether kind is a list, set, dict or generator
// comprehension.
func isComprehension(kind string) bool {
	switch kind {
	case "list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression":
		return true
	}
	return false
}

// returnedTable is the table a project function returns when the loop
// list is a call of it (for row in extra_rows(): ... with def
// extra_rows(): return [...]): its one return, evaluated with the call's
// arguments bound; Unknown otherwise. Only loop lists read it.
func (p *Project) returnedTable(n *python.Node, b Binding) Value {
	n = n.Unparen()
	if n == nil || n.Kind != "call" {
		return Value{Node: n}
	}
	for _, def := range p.calleeDefs(n.ChildByField("function"), b) {
		rs := returns(def)
		if len(rs) != 1 {
			continue
		}
		if v := p.EvalIn(rs[0], p.callBinding(def, n, b)); v.Kind == List || v.Kind == Dict {
			return v
		}
	}
	return Value{Node: n}
}
