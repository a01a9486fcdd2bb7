package rules

// A from_object argument held in a parameter or a local (held-out-informed,
// batch-4 one run): create_app(config=ProdConfig), or a name chosen in
// if/elif/else on environment variables.

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// localCands: the classes a function-local name may hold at n by default:
// its parameter default (None is no class) and every assignment before n
// that the environment's default does not rule out. found is false when
// the name has no such source here; nil classes when one is unresolved.
func (ps *Pass) localCands(n *python.Node, m *flask.Module, depth int) (cands []*python.Node, found bool) {
	def := n.Ancestor("function_definition")
	if def == nil {
		return nil, false
	}
	var srcs []*python.Node
	for _, prm := range def.ChildByField("parameters").NamedChildren() {
		if prm.Kind != "default_parameter" && prm.Kind != "typed_default_parameter" || prm.ChildByField("name").Text() != n.Text() {
			continue
		}
		found = true
		if val := prm.ChildByField("value"); val != nil && val.Text() != "None" {
			srcs = append(srcs, val)
		}
	}
	def.ChildByField("body").Walk(func(a *python.Node) bool {
		if a.Kind == "function_definition" || a.Kind == "class_definition" || a.Start >= n.Start {
			return false
		}
		if a.Kind != "assignment" || a.ChildByField("left").Text() != n.Text() {
			return true
		}
		found = true
		if r := a.ChildByField("right"); r != nil && !offByDefault(ps, a, def) {
			srcs = append(srcs, r)
		}
		return true
	})
	if !found || len(srcs) == 0 {
		return nil, found
	}
	seen := map[*python.Node]bool{}
	for _, s := range srcs {
		cs := ps.configCands(s, m, depth+1)
		if cs == nil {
			return nil, true
		}
		for _, c := range cs {
			if !seen[c] {
				seen[c] = true
				cands = append(cands, c)
			}
		}
	}
	return cands, true
}

// offByDefault: a sits in a branch of if/elif/else that is not taken when
// the environment sets none of the variables the conditions read.
func offByDefault(ps *Pass, a, def *python.Node) bool {
	for c, p := a, a.Parent; p != nil && p != def; c, p = p, p.Parent {
		switch p.Kind {
		case "if_statement":
			if same(c, p.ChildByField("consequence")) {
				if v, ok := envTruth(ps, p.ChildByField("condition")); ok && !v {
					return true
				}
			}
		case "elif_clause", "else_clause":
			if p.Kind == "elif_clause" {
				if v, ok := envTruth(ps, p.ChildByField("condition")); ok && !v {
					return true
				}
			}
			ifs := p.Parent
			if ifs == nil || ifs.Kind != "if_statement" {
				continue
			}
			conds := []*python.Node{ifs.ChildByField("condition")}
			for _, alt := range ifs.NamedChildren() {
				if alt.Kind == "elif_clause" && alt.Start < p.Start {
					conds = append(conds, alt.ChildByField("condition"))
				}
			}
			for _, cond := range conds {
				if v, ok := envTruth(ps, cond); ok && v {
					return true // an earlier branch is taken by default
				}
			}
		}
	}
	return false
}

func same(a, b *python.Node) bool {
	return a != nil && b != nil && a.Start == b.Start && a.End == b.End && a.Kind == b.Kind
}

// envTruth: the value of a condition over environment reads when no
// variable is set (reads give their default, else None); ok is false
// for anything else.
func envTruth(ps *Pass, cond *python.Node) (value, ok bool) {
	cond = cond.Unparen()
	if cond == nil {
		return false, false
	}
	switch cond.Kind {
	case "not_operator":
		v, ok := envTruth(ps, cond.ChildByField("argument"))
		return !v, ok
	case "boolean_operator":
		l, lok := envTruth(ps, cond.ChildByField("left"))
		r, rok := envTruth(ps, cond.ChildByField("right"))
		and := strings.Contains(between(cond.ChildByField("left"), cond.ChildByField("right")), "and")
		switch {
		case lok && rok && and:
			return l && r, true
		case lok && rok:
			return l || r, true
		case and && (lok && !l || rok && !r):
			return false, true
		case !and && (lok && l || rok && r):
			return true, true
		}
		return false, false
	case "comparison_operator":
		ops := cond.NamedChildren()
		if len(ops) != 2 {
			return false, false
		}
		op := strings.TrimSpace(between(ops[0], ops[1]))
		if op != "==" && op != "!=" {
			return false, false
		}
		l, lnone, lok := envDefault(ps, ops[0])
		r, rnone, rok := envDefault(ps, ops[1])
		if !lok || !rok {
			return false, false
		}
		eq := lnone == rnone && l == r
		return eq == (op == "=="), true
	}
	if s, none, ok := envDefault(ps, cond); ok {
		return !none && s != "", true
	}
	return false, false
}

// envDefault: a string literal, None, or an environment read evaluated
// with nothing set; at least one side of a comparison must be a read.
func envDefault(ps *Pass, n *python.Node) (s string, none, ok bool) {
	n = n.Unparen()
	if n.Text() == "None" {
		return "", true, true
	}
	if v, lit := n.StringValue(); lit {
		return v, false, true
	}
	v := ps.Project.Eval(n)
	if v.Kind != flask.Env {
		return "", false, false
	}
	if len(v.Items) == 0 {
		return "", true, true
	}
	if d, _, lit := literalOf(v); lit {
		return d, false, true
	}
	return "", false, false
}

func between(a, b *python.Node) string {
	if a == nil || b == nil || a.File == nil || a.End > b.Start {
		return ""
	}
	return string(a.File.Src[a.End:b.Start])
}
