package flask

import (
	"path"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

const maxEvalDepth = 12

// Eval computes what is known of an expression: literals, names bound in
// the enclosing function or module, names imported from project modules,
// config keys, environment reads with their defaults, str.split results.
func (p *Project) Eval(n *python.Node) Value {
	return p.eval(n, 0)
}

func (p *Project) eval(n *python.Node, depth int) Value {
	if !p.enter() {
		return Value{}
	}
	defer p.leave()
	n = n.Unparen()
	if n == nil || depth > maxEvalDepth {
		return Value{}
	}
	switch n.Kind {
	case "string", "concatenated_string":
		if s, ok := n.StringValue(); ok {
			return Value{Kind: Str, S: s, Node: n}
		}
		if n.Kind == "string" {
			return p.evalFString(n, depth)
		}
	case "integer", "float", "unary_operator":
		if i, ok := n.IntValue(); ok {
			return Value{Kind: Int, I: i, Node: n}
		}
	case "true", "false":
		b, _ := n.BoolValue()
		return Value{Kind: Bool, B: b, Node: n}
	case "none":
		return Value{Kind: None, Node: n}
	case "list", "tuple", "set", "expression_list":
		kids := n.NamedChildren()
		v := Value{Kind: List, Set: n.Kind == "set", Node: n, Items: valueSlice(len(kids))}
		for _, c := range kids {
			it := p.eval(c, depth+1)
			if it.Node == nil {
				it.Node = c // a module or class element: loops bind the name
			}
			v.Items = append(v.Items, it)
		}
		return v
	case "dictionary":
		pairs := n.NamedChildren()
		for _, pair := range pairs {
			if pair.Kind != "pair" {
				return Value{}
			}
		}
		v := Value{Kind: Dict, Node: n, Keys: valueSlice(len(pairs)), Items: valueSlice(len(pairs))}
		for _, pair := range pairs {
			v.Keys = append(v.Keys, p.eval(pair.ChildByField("key"), depth+1))
			v.Items = append(v.Items, p.eval(pair.ChildByField("value"), depth+1))
		}
		return v
	case "identifier":
		return p.evalName(n, depth)
	case "attribute":
		return p.evalAttribute(n, depth)
	case "subscript":
		return p.evalSubscript(n, depth)
	case "call":
		return p.evalCall(n, depth)
	case "binary_operator":
		l, r := p.eval(n.ChildByField("left"), depth+1), p.eval(n.ChildByField("right"), depth+1)
		if n.HasChildKind("+") && l.Kind != Str && r.Kind == Str && p.rulePrefix != nil {
			if s, ok := p.leadingSetting(n.ChildByField("left"), depth+1); ok { // a rule's run-time prefix
				l = Value{Kind: Str, S: s, Node: n.ChildByField("left")}
			}
		}
		if n.HasChildKind("+") && l.Kind == Str && r.Kind == Str {
			// path.dirname(__file__) + "/spec.yml" stays a path from the root.
			return Value{Kind: Str, S: l.S + r.S, Path: l.Path && strings.HasPrefix(r.S, "/"), Node: n}
		}
		if n.HasChildKind("/") && l.Kind == Str && l.Path && r.Kind == Str && !strings.HasPrefix(r.S, "/") {
			return Value{Kind: Str, S: path.Join(l.S, r.S), Path: true, Node: n} // Path(__file__).parent / "spec.yml"
		}
		if n.HasChildKind("+") && l.Kind == List && r.Kind == List {
			items := append(append([]Value{}, l.Items...), r.Items...)
			return Value{Kind: List, Items: items, Node: n}
		}
		if n.HasChildKind("%") && l.Kind == Str && r.Known() {
			return evalPercent(l.S, r, n)
		}
		if l.Kind == Int && r.Kind == Int {
			switch {
			case n.HasChildKind("**"):
				if r.I >= 0 && r.I < 64 {
					x := int64(1)
					for i := int64(0); i < r.I && x < 1<<40; i++ {
						x *= l.I
					}
					return Value{Kind: Int, I: x, Node: n}
				}
			case n.HasChildKind("*"):
				return Value{Kind: Int, I: l.I * r.I, Node: n}
			case n.HasChildKind("+"):
				return Value{Kind: Int, I: l.I + r.I, Node: n}
			}
		}
	case "boolean_operator":
		l := p.eval(n.ChildByField("left"), depth+1)
		if l.Kind == Env && n.HasChildKind("or") {
			l.Items = []Value{p.eval(n.ChildByField("right"), depth+1)}
			return l
		}
	case "comparison_operator", "not_operator":
		// idx == 0, not id_url: decided on constants (under the binding).
		if p.deciding[n] {
			break // truth's own fallback evaluates the node: no loop
		}
		b := p.bound
		if b == nil {
			b = &Binding{}
		}
		if p.deciding == nil {
			p.deciding = map[*python.Node]bool{}
		}
		p.deciding[n] = true
		v, ok := p.truth(n, b)
		delete(p.deciding, n)
		if ok {
			return Value{Kind: Bool, B: v, Node: n}
		}
	case "conditional_expression":
		// a if cond else b: the branch the condition decides.
		if c := n.NamedChildren(); len(c) == 3 {
			if t, ok := p.eval(c[1], depth+1).Truthy(); ok {
				if t {
					return p.eval(c[0], depth+1)
				}
				return p.eval(c[2], depth+1)
			}
		}
	case "list_comprehension", "set_comprehension", "generator_expression":
		return p.evalComprehension(n, depth)
	}
	return Value{Node: n}
}

// valueSlice is room for n values, nil for none (as appending to nil
// left an empty literal).
func valueSlice(n int) []Value {
	if n == 0 {
		return nil
	}
	return make([]Value, 0, n)
}

// evalName looks a name up in the enclosing function (the last assignment
// before the use), then at module level, then through imports.
func (p *Project) evalName(n *python.Node, depth int) Value {
	name := n.Text()
	if name == "__file__" {
		if m := p.ModuleOf(n); m != nil {
			return Value{Kind: Str, S: m.File.Path, Path: true, Node: n}
		}
	}
	if name == "__name__" {
		// The module's dotted name as imported (import_module(__name__ +
		// ".views")); a module run as a script is "__main__" instead.
		if m := p.ModuleOf(n); m != nil && m.Name != "" && !rebound(n, name) {
			return Value{Kind: Str, S: m.Name, Node: n}
		}
	}
	if b := p.bound; b != nil {
		if b.Scope != nil && b.Scope.Contains(n) {
			if v, ok := b.Vals[name]; ok {
				return v
			}
			if v, ok := b.Loop[name]; ok && v != nil {
				return p.eval(v, depth+1)
			}
		}
		if b.Fn != nil && b.Fn.Contains(n) && ParamOf(n) == b.Fn {
			if v, ok := b.Names[name]; ok && v != nil {
				return p.eval(v, depth+1)
			}
			if d := ParamDefault(b.Fn, name); d != nil {
				return p.eval(d, depth+1)
			}
		}
	}
	if fn := n.Ancestor("function_definition"); fn != nil {
		if rhs := LocalAssign(fn, name, n.Start); rhs != nil {
			return p.eval(rhs, depth+1)
		}
		if isParam(fn, name) {
			if p.modelling {
				if v := p.paramValue(fn, name, depth); v.Known() {
					return v
				}
			}
			return Value{Node: n}
		}
	}
	m := p.ModuleOf(n)
	if m == nil {
		return Value{Node: n}
	}
	return p.evalGlobal(m, name, depth)
}

// evalGlobal follows a module-level name through assignments and imports;
// depth bounds the chase, as in eval: imports that lead back to each
// other (a TYPE_CHECKING import of the module's own class through its
// package, or two settings modules importing a name from each other) end
// unknown instead of recursing forever.
func (p *Project) evalGlobal(m *Module, name string, depth int) Value {
	if depth > maxEvalDepth || !p.enter() {
		return Value{}
	}
	defer p.leave()
	if rhs := m.Assigns[name]; len(rhs) > 0 {
		last := rhs[len(rhs)-1].Unparen()
		if last.Kind == "list" && len(last.NamedChildren()) == 0 {
			// ROUTES = [] that endpoint decorators append to (registry.go).
			if v, ok := p.registryValue(m, name, depth); ok {
				return v
			}
		}
		return p.eval(rhs[len(rhs)-1], depth+1)
	}
	if imp, ok := m.Imports[name]; ok && imp.Name != "" {
		if mm := p.Module(imp.Module); mm != nil && mm != m {
			return p.evalGlobal(mm, imp.Name, depth+1)
		}
	}
	return Value{}
}
