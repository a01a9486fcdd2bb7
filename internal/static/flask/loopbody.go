package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// The body of a loop run up to a registration for one element of its
// list: assignments, +=, and if statements the element decides.

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
		if p.unpackRow(left, st.ChildByField("right"), b) {
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
		case c.HasChildKind("<") || c.HasChildKind(">") || c.HasChildKind("<=") || c.HasChildKind(">="):
			if l.Kind != Int || r.Kind != Int {
				return false, false
			}
			switch {
			case c.HasChildKind("<="):
				return l.I <= r.I, true
			case c.HasChildKind(">="):
				return l.I >= r.I, true
			case c.HasChildKind("<"):
				return l.I < r.I, true
			}
			return l.I > r.I, true
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

// unpackRow binds route, view = row (a tuple unpacking of the element a
// loop variable stands for) to the element's parts; false when the right
// side is not a literal tuple or list of as many parts.
func (p *Project) unpackRow(left, right *python.Node, b *Binding) bool {
	left, right = left.Unparen(), right.Unparen()
	if left == nil || right == nil || (left.Kind != "pattern_list" && left.Kind != "tuple_pattern" && left.Kind != "list_pattern") {
		return false
	}
	src := right
	if right.Kind == "identifier" && b.Scope != nil && b.Scope.Contains(right) {
		if v, ok := b.Loop[right.Text()]; ok && v != nil {
			src = v.Unparen()
		}
	}
	if src == nil || (src.Kind != "tuple" && src.Kind != "list") {
		return false
	}
	targets, parts := left.NamedChildren(), src.NamedChildren()
	if len(targets) != len(parts) {
		return false
	}
	if b.Loop == nil {
		b.Loop = map[string]*python.Node{}
	}
	for i, t := range targets {
		if t.Kind != "identifier" {
			return false
		}
		b.Loop[t.Text()] = parts[i]
		b.Vals[t.Text()] = p.EvalIn(parts[i], *b)
		if !b.Vals[t.Text()].Known() {
			delete(b.Vals, t.Text()) // a class or a function: its node
		}
	}
	return true
}
