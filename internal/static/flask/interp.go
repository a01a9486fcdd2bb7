package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// A small interpreter for project function bodies: assignments (also by
// tuple unpacking), +=, list append/extend, for loops over constant lists
// and dict keys, if/elif/else decided on constants, return, and calls of
// project functions and classmethods (cls bound to the class the call
// names). It serves registrations whose rule is computed by code rather
// than written:
//
//	@classmethod
//	def register_node_view(cls, blueprint):
//	    id_url, url = cls.get_node_urls()     # loops over cls.ids
//	    for c in cls.generate_ops():          # builds a list with append
//	        blueprint.add_url_rule("/{0}{1}".format(c["cmd"], ...), ...)
//
// Anything it cannot decide (a condition on a run-time value, a loop over
// an unknown list) stops the run, and the registration keeps its reason.

// maxSteps bounds one run (statements executed, calls included).
const maxSteps = 20000

type interp struct {
	p      *Project
	steps  int
	target *python.Node
	hits   []Binding
	failed string
}

// runTo runs fn's body under base (its parameters bound) and returns the
// bindings in force each time the run reaches target; why says what
// stopped it when it stopped before the end.
func (p *Project) runTo(fn, target *python.Node, base Binding) ([]Binding, string) {
	in := &interp{p: p, target: target}
	env := map[string]Value{}
	in.block(fn.ChildByField("body"), fn, base, env, 0)
	return in.hits, in.failed
}

// frame is the binding expressions of fn are evaluated under.
func frame(fn *python.Node, base Binding, env map[string]Value) Binding {
	b := base
	b.Fn, b.Scope, b.Vals = fn, fn, env
	b.Loop = nil
	return b
}

type flow int

const (
	flowNext flow = iota
	flowBreak
	flowContinue
	flowReturn
	flowStop
)

func (in *interp) fail(why string) flow {
	if in.failed == "" {
		in.failed = why
	}
	return flowStop
}

// block runs the statements of a block; ret receives a return's value.
func (in *interp) block(blk, fn *python.Node, base Binding, env map[string]Value, depth int) flow {
	if blk == nil {
		return flowNext
	}
	for _, st := range blk.NamedChildren() {
		if f := in.stmt(st, fn, base, env, depth); f != flowNext {
			return f
		}
	}
	return flowNext
}

func (in *interp) stmt(st, fn *python.Node, base Binding, env map[string]Value, depth int) flow {
	in.steps++
	if in.steps > maxSteps {
		return in.fail("the computation runs longer than the analysis follows")
	}
	p := in.p
	b := frame(fn, base, env)
	if in.target != nil && st.Kind == "expression_statement" && st.Contains(in.target) {
		snap := map[string]Value{}
		for k, v := range env {
			snap[k] = v
		}
		in.hits = append(in.hits, frame(fn, base, snap))
	}
	switch st.Kind {
	case "expression_statement":
		for _, c := range st.NamedChildren() {
			switch c.Kind {
			case "assignment":
				in.assign(c, fn, base, env, depth)
			case "augmented_assignment":
				left := c.ChildByField("left")
				if left == nil || left.Kind != "identifier" || !c.HasChildKind("+=") {
					continue
				}
				l, r := p.EvalIn(left, b), in.value(c.ChildByField("right"), fn, base, env, depth)
				switch {
				case l.Kind == Int && r.Kind == Int:
					env[left.Text()] = Value{Kind: Int, I: l.I + r.I, Node: c}
				case l.Kind == Str && r.Kind == Str:
					env[left.Text()] = Value{Kind: Str, S: l.S + r.S, Node: c}
				case l.Kind == List && r.Kind == List:
					env[left.Text()] = Value{Kind: List, Items: append(append([]Value{}, l.Items...), r.Items...), Node: c}
				default:
					env[left.Text()] = Value{Node: c}
				}
			case "call":
				in.mutate(c, fn, base, env, depth)
			}
		}
	case "return_statement":
		if v := st.NamedChildren(); len(v) > 0 {
			env["\x00return"] = in.value(v[0], fn, base, env, depth)
		} else {
			env["\x00return"] = Value{Kind: None}
		}
		return flowReturn
	case "if_statement":
		br, decided := p.branchOf(st, &b)
		if !decided {
			if in.target != nil && st.Contains(in.target) || returnsIn(st) {
				return in.fail("the condition `" + short(st.ChildByField("condition").Text()) + "` is not decided on constants")
			}
			return flowNext // a branch that neither returns nor reaches the call
		}
		return in.block(br, fn, base, env, depth)
	case "for_statement":
		list := in.value(st.ChildByField("right"), fn, base, env, depth)
		items := list.Items
		if list.Kind == Dict {
			items = list.Keys
		}
		if list.Kind != List && list.Kind != Dict {
			if in.target != nil && st.Contains(in.target) || returnsIn(st) || assignsOutside(st, env) {
				return in.fail("the loop list `" + short(st.ChildByField("right").Text()) + "` is not a constant")
			}
			return flowNext
		}
		targets := loopTargets(st.ChildByField("left"))
		for _, it := range items {
			for i, t := range targets {
				switch {
				case len(targets) == 1:
					env[t] = it
				case it.Kind == List && i < len(it.Items):
					env[t] = it.Items[i]
				default:
					env[t] = Value{}
				}
			}
			switch f := in.block(st.ChildByField("body"), fn, base, env, depth); f {
			case flowBreak:
				return flowNext
			case flowReturn, flowStop:
				return f
			}
		}
	case "break_statement":
		return flowBreak
	case "continue_statement":
		return flowContinue
	case "with_statement", "try_statement":
		// with open(path) as f: f stands for the file's path (json.load
		// reads it).
		st.Walk(func(c *python.Node) bool {
			if c.Kind == "block" {
				return false
			}
			if c.Kind == "as_pattern" {
				if v := in.value(c.NamedChildren()[0], fn, base, env, depth); v.Kind == Str && v.Path {
					if t := c.ChildByField("alias"); t != nil {
						env[strings.TrimSpace(t.Text())] = v
					}
				}
				return false
			}
			return true
		})
		for _, c := range st.NamedChildren() {
			if c.Kind == "block" {
				if f := in.block(c, fn, base, env, depth); f != flowNext {
					return f
				}
			}
		}
	}
	return flowNext
}

// assign runs name = value and a, b = value.
func (in *interp) assign(a, fn *python.Node, base Binding, env map[string]Value, depth int) {
	left, right := a.ChildByField("left"), a.ChildByField("right")
	if left == nil || right == nil {
		return
	}
	v := in.value(right, fn, base, env, depth)
	switch left.Kind {
	case "identifier":
		env[left.Text()] = v
	case "attribute":
		// self.info = ...: the instance's attribute (instattrs.go).
		if o := left.ChildByField("object"); o != nil && o.Kind == "identifier" && o.Text() == "self" {
			env["self."+left.ChildByField("attribute").Text()] = v
		}
	case "pattern_list", "tuple_pattern", "list_pattern":
		names := left.NamedChildren()
		for i, n := range names {
			if n.Kind != "identifier" {
				continue
			}
			if v.Kind == List && len(v.Items) == len(names) {
				env[n.Text()] = v.Items[i]
			} else {
				env[n.Text()] = Value{Node: n}
			}
		}
	}
}

// mutate runs x.append(v) and x.extend(list) on a list of the run.
func (in *interp) mutate(c, fn *python.Node, base Binding, env map[string]Value, depth int) {
	f := c.ChildByField("function")
	if f == nil || f.Kind != "attribute" {
		return
	}
	obj := f.ChildByField("object").Unparen()
	if obj == nil || obj.Kind != "identifier" {
		return
	}
	cur, ok := env[obj.Text()]
	if !ok || cur.Kind != List {
		return
	}
	args := c.ChildByField("arguments").NamedChildren()
	if len(args) != 1 {
		return
	}
	v := in.value(args[0], fn, base, env, depth)
	items := append([]Value{}, cur.Items...)
	switch f.ChildByField("attribute").Text() {
	case "append":
		items = append(items, v)
	case "extend":
		if v.Kind != List {
			env[obj.Text()] = Value{Node: c}
			return
		}
		items = append(items, v.Items...)
	default:
		return
	}
	env[obj.Text()] = Value{Kind: List, Items: items, Node: cur.Node}
}
