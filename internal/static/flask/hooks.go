package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Hook is a before_request (or before_app_request) function.
type Hook struct {
	Object *Object
	// AppWide is true for before_app_request and app hooks.
	AppWide bool
	Def     *python.Node
	Module  *Module
	// Lists are the collections of endpoint names or paths the gate
	// compares request.endpoint / request.path with.
	Lists []GateList
	info  *funcInfo
	// decorators wrap the hook itself (@bp.before_request then
	// @admin_required): each check one applies guards every route.
	decorators []*python.Node
}

// GateList is a collection a gate compares the request's endpoint or path
// with. Protect is true when membership turns the check on (a list of
// protected endpoints); false for an allowlist of public ones.
type GateList struct {
	Node    *python.Node
	Field   string // "endpoint" or "path"
	Values  []Value
	Protect bool
}

func (p *Project) collectHooks() {
	for _, m := range p.Modules {
		m.File.Visit(func(n *python.Node) {
			switch n.Kind {
			case "function_definition":
				for _, d := range Decorators(n) {
					p.hookDecorator(m, d, n)
				}
			case "call":
				fn := n.ChildByField("function")
				if fn != nil && fn.Kind == "attribute" && strings.HasPrefix(fn.ChildByField("attribute").Text(), "before_") {
					if _, def := p.ResolveFunc(m, positional(n.ChildByField("arguments"), 0).DottedName()); def != nil {
						p.hookDecorator(m, fn, def)
					}
				}
			}
		}, "function_definition", "call")
	}
}

func (p *Project) hookDecorator(m *Module, d, def *python.Node) {
	if d.Kind != "attribute" {
		return
	}
	attr := d.ChildByField("attribute").Text()
	if attr != "before_request" && attr != "before_app_request" {
		return
	}
	o := p.ObjectAt(d.ChildByField("object"))
	if o == nil {
		return
	}
	for _, h := range p.Hooks {
		if h.Def == def {
			return
		}
	}
	h := &Hook{Object: o, AppWide: o.Kind == "app" || attr == "before_app_request", Def: def, Module: m}
	h.info = p.analyzeFunc(def, 0)
	h.Lists = p.gateLists(def)
	for _, dd := range Decorators(def) {
		if dd != d && !isHookDecorator(dd) {
			h.decorators = append(h.decorators, dd)
		}
	}
	p.Hooks = append(p.Hooks, h)
}

// isHookDecorator reports whether a decorator registers a hook
// (@bp.before_request, @app.before_app_request).
func isHookDecorator(d *python.Node) bool {
	if d.Kind != "attribute" {
		return false
	}
	attr := d.ChildByField("attribute").Text()
	return strings.HasPrefix(attr, "before_") || strings.HasPrefix(attr, "after_") || strings.HasPrefix(attr, "teardown_")
}

// requestField names what a gate condition operand reads from the request.
func requestField(n *python.Node) string {
	switch n.Unparen().DottedName() {
	case "request.endpoint":
		return "endpoint"
	case "request.path", "request.url_rule.rule":
		return "path"
	case "request.blueprint":
		return "blueprint"
	case "request.method":
		return "method"
	}
	return ""
}

// bodyExits is true for "return" / "return None" / "pass" bodies.
func bodyExits(b *python.Node) bool {
	st := b.NamedChildren()
	if len(st) != 1 {
		return false
	}
	switch st[0].Kind {
	case "return_statement":
		v := st[0].NamedChildren()
		return len(v) == 0 || v[0].Kind == "none"
	}
	return false
}

func (p *Project) gateLists(def *python.Node) []GateList {
	var out []GateList
	for _, br := range allBranches(def.ChildByField("body")) {
		cond, body := br.cond.Unparen(), br.body
		if cond == nil {
			continue
		}
		neg := false
		if cond.Kind == "not_operator" {
			neg, cond = true, cond.ChildByField("argument").Unparen()
		}
		if cond.Kind != "comparison_operator" {
			continue
		}
		ops := cond.NamedChildren()
		if len(ops) != 2 {
			continue
		}
		field := requestField(ops[0])
		if field != "endpoint" && field != "path" {
			continue
		}
		positive := cond.HasChildKind("in") || cond.HasChildKind("==")
		if cond.HasChildKind("not in") || cond.HasChildKind("!=") {
			positive = false
		}
		if neg {
			positive = !positive
		}
		v := p.Eval(ops[1])
		if v.Kind == Str {
			v = Value{Kind: List, Items: []Value{v}, Node: v.Node}
		}
		if v.Kind != List {
			continue
		}
		exits := bodyExits(body)
		fi := p.analyzeBodyMemo(body)
		checks := len(fi.kinds) > 0 || fi.rejects
		if !exits && !checks {
			continue
		}
		out = append(out, GateList{Node: v.Node, Field: field, Values: v.Items, Protect: positive == checks})
	}
	return out
}

type tri int

const (
	triUnknown tri = iota
	triTrue
	triFalse
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// evalCond evaluates a gate condition for one route.
func (p *Project) evalCond(c *python.Node, r *Route) tri {
	c = c.Unparen()
	switch c.Kind {
	case "not_operator":
		switch p.evalCond(c.ChildByField("argument"), r) {
		case triTrue:
			return triFalse
		case triFalse:
			return triTrue
		}
		return triUnknown
	case "boolean_operator":
		l, rr := p.evalCond(c.ChildByField("left"), r), p.evalCond(c.ChildByField("right"), r)
		if c.HasChildKind("and") {
			if l == triFalse || rr == triFalse {
				return triFalse
			}
			if l == triTrue && rr == triTrue {
				return triTrue
			}
			return triUnknown
		}
		if l == triTrue || rr == triTrue {
			return triTrue
		}
		if l == triFalse && rr == triFalse {
			return triFalse
		}
		return triUnknown
	case "comparison_operator":
		return p.evalComparison(c, r)
	case "call":
		fn := c.ChildByField("function")
		if fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "startswith" {
			field := requestField(fn.ChildByField("object"))
			v := p.Eval(positional(c.ChildByField("arguments"), 0))
			ss, ok := v.Strings()
			if !ok || field == "" {
				return triUnknown
			}
			subject := r.Endpoint
			if field == "path" {
				subject = r.Rule
			}
			res := triFalse
			for _, s := range ss {
				if field == "path" && strings.Contains(subject, "<") && !strings.HasPrefix(staticPrefix(subject), s) && strings.HasPrefix(s, staticPrefix(subject)) {
					res = triUnknown
				}
				if strings.HasPrefix(subject, s) {
					return triTrue
				}
			}
			return res
		}
	}
	return triUnknown
}

// branch is one arm of an if statement; cond is nil for else.
type branch struct {
	cond, body *python.Node
}

// branches lists the arms of an if statement in order: the if, each
// elif, and the else.
func branches(st *python.Node) []branch {
	out := []branch{{st.ChildByField("condition"), st.ChildByField("consequence")}}
	for _, c := range st.Children() {
		switch c.Kind {
		case "elif_clause":
			out = append(out, branch{c.ChildByField("condition"), c.ChildByField("consequence")})
		case "else_clause":
			out = append(out, branch{nil, c.ChildByField("body")})
		}
	}
	return out
}

// allBranches lists the arms of every top-level if statement of a body:
// an allow-list spread over if/elif arms is one list.
func allBranches(body *python.Node) []branch {
	var out []branch
	for _, st := range body.NamedChildren() {
		if st.Kind == "if_statement" {
			out = append(out, branches(st)...)
		}
	}
	return out
}
