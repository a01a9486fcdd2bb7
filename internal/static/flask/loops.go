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
	var loops []*python.Node
	for a := call.Parent; a != nil && a.Kind != "function_definition" && a.Kind != "class_definition" && a.Kind != "module"; a = a.Parent {
		if a.Kind == "for_statement" && a.ChildByField("body").Contains(call) {
			loops = append([]*python.Node{a}, loops...)
		}
	}
	if len(loops) == 0 {
		return nil, ""
	}
	bs = []Binding{{Site: call, Loop: map[string]*python.Node{}, Scope: loops[0]}}
	for _, l := range loops {
		targets := loopTargets(l.ChildByField("left"))
		var next []Binding
		for _, b := range bs {
			list := p.EvalIn(l.ChildByField("right"), b)
			if list.Kind != List {
				return nil, "the loop list `" + short(l.ChildByField("right").Text()) + "` is not a constant"
			}
			for _, item := range list.Items {
				nb := Binding{Site: call, Loop: map[string]*python.Node{}, Scope: loops[0], Item: item.Node}
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
		if p.execTo(loops[0].ChildByField("body"), call, &b) {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return nil, "no element of the loop list reaches the call"
	}
	return out, ""
}

// execTo runs the statements of block up to the one holding call under
// b, recording assignments in b.Vals; false when the call is not reached
// (an if decided against its branch).
func (p *Project) execTo(block, call *python.Node, b *Binding) bool {
	for _, st := range block.NamedChildren() {
		if !st.Contains(call) {
			p.execStmt(st, b)
			continue
		}
		switch st.Kind {
		case "if_statement":
			br, decided := p.branchOf(st, b)
			holder := branchHolding(st, call)
			if decided && br != holder {
				return false
			}
			if holder == nil {
				return true
			}
			return p.execTo(holder, call, b)
		case "for_statement", "while_statement", "with_statement", "try_statement":
			for _, c := range st.NamedChildren() {
				if c.Contains(call) {
					if c.Kind == "block" {
						return p.execTo(c, call, b)
					}
					if blk := c.ChildByField("body"); blk != nil && blk.Contains(call) {
						return p.execTo(blk, call, b)
					}
					for _, cc := range c.NamedChildren() {
						if cc.Kind == "block" && cc.Contains(call) {
							return p.execTo(cc, call, b)
						}
					}
				}
			}
		}
		return true
	}
	return true
}

// execStmt records what one statement before the call assigns.
func (p *Project) execStmt(st *python.Node, b *Binding) {
	switch st.Kind {
	case "expression_statement":
		for _, c := range st.NamedChildren() {
			p.execStmt(c, b)
		}
	case "assignment":
		left := st.ChildByField("left")
		if left != nil && left.Kind == "identifier" {
			b.Vals[left.Text()] = p.EvalIn(st.ChildByField("right"), *b)
			return
		}
		forget(st, b)
	case "augmented_assignment":
		left := st.ChildByField("left")
		if left != nil && left.Kind == "identifier" && st.HasChildKind("+=") {
			l, r := p.EvalIn(left, *b), p.EvalIn(st.ChildByField("right"), *b)
			if l.Kind == Str && r.Kind == Str {
				b.Vals[left.Text()] = Value{Kind: Str, S: l.S + r.S, Node: st}
				return
			}
		}
		forget(st, b)
	case "if_statement":
		if br, decided := p.branchOf(st, b); decided {
			if br != nil {
				for _, c := range br.NamedChildren() {
					p.execStmt(c, b)
				}
			}
			return
		}
		forget(st, b)
	case "function_definition", "class_definition", "decorated_definition":
	default:
		forget(st, b)
	}
}

// forget makes every name st assigns unknown.
func forget(st *python.Node, b *Binding) {
	st.Walk(func(x *python.Node) bool {
		if x.Kind == "function_definition" || x.Kind == "class_definition" || x.Kind == "lambda" {
			return false
		}
		if x.Kind == "assignment" || x.Kind == "augmented_assignment" || x.Kind == "for_statement" {
			for _, t := range loopTargets(x.ChildByField("left")) {
				b.Vals[t] = Value{}
			}
		}
		return true
	})
}

// branchOf is the block an if statement runs under b (nil: none of its
// branches), and whether the conditions decide it.
func (p *Project) branchOf(st *python.Node, b *Binding) (*python.Node, bool) {
	v, ok := p.truth(st.ChildByField("condition"), b)
	if !ok {
		return nil, false
	}
	if v {
		return st.ChildByField("consequence"), true
	}
	for _, alt := range st.NamedChildren() {
		switch alt.Kind {
		case "elif_clause":
			v, ok := p.truth(alt.ChildByField("condition"), b)
			if !ok {
				return nil, false
			}
			if v {
				return alt.ChildByField("consequence"), true
			}
		case "else_clause":
			return alt.ChildByField("body"), true
		}
	}
	return nil, true
}

// branchHolding is the block of the if statement that holds n.
func branchHolding(st, n *python.Node) *python.Node {
	if c := st.ChildByField("consequence"); c != nil && c.Contains(n) {
		return c
	}
	for _, alt := range st.NamedChildren() {
		if alt.Kind == "elif_clause" {
			if c := alt.ChildByField("consequence"); c != nil && c.Contains(n) {
				return c
			}
		}
		if alt.Kind == "else_clause" {
			if c := alt.ChildByField("body"); c != nil && c.Contains(n) {
				return c
			}
		}
	}
	return nil
}

// truth decides a condition on constants: ==, !=, in, not in between
// strings, ints and lists of them, not, and, or.
func (p *Project) truth(c *python.Node, b *Binding) (bool, bool) {
	c = c.Unparen()
	if c == nil {
		return false, false
	}
	switch c.Kind {
	case "not_operator":
		v, ok := p.truth(c.ChildByField("argument"), b)
		return !v, ok
	case "boolean_operator":
		l, lok := p.truth(c.ChildByField("left"), b)
		r, rok := p.truth(c.ChildByField("right"), b)
		if !lok || !rok {
			return false, false
		}
		if c.HasChildKind("and") {
			return l && r, true
		}
		return l || r, true
	case "comparison_operator":
		ops := c.NamedChildren()
		if len(ops) != 2 {
			return false, false
		}
		l, r := p.EvalIn(ops[0], *b), p.EvalIn(ops[1], *b)
		switch {
		case c.HasChildKind("==") || c.HasChildKind("!="):
			if l.Kind != r.Kind || (l.Kind != Str && l.Kind != Int && l.Kind != Bool) {
				return false, false
			}
			eq := l.S == r.S && l.I == r.I && l.B == r.B
			return eq == c.HasChildKind("=="), true
		case c.HasChildKind("in") || c.HasChildKind("not in"):
			if r.Kind != List || (l.Kind != Str && l.Kind != Int) {
				return false, false
			}
			in := false
			for _, it := range r.Items {
				if it.Kind != l.Kind {
					return false, false
				}
				in = in || it.S == l.S && it.I == l.I
			}
			return in != c.HasChildKind("not in"), true
		}
	}
	v := p.EvalIn(c, *b)
	switch v.Kind {
	case Bool:
		return v.B, true
	case Str:
		return v.S != "", true
	case None:
		return false, true
	}
	return false, false
}
