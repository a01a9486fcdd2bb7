package rules

// Inert code: what a check's passing may lead to without unlocking
// anything (unlocks.go): log lines, literals, the request's own data, and
// answers, redirects or refusals built from them.

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// inertStmt: a statement that only logs, assigns inert values, returns or
// raises an inert answer, or branches between such statements.
func (ps *Pass) inertStmt(st *python.Node, depth int) bool {
	if depth > 4 {
		return false
	}
	switch st.Kind {
	case "pass_statement", "raise_statement", "comment":
		return true
	case "return_statement":
		// A helper's return hands the outcome to callers that decide.
		if !ps.servedView(st.Ancestor("function_definition")) {
			return false
		}
		v := st.NamedChildren()
		return len(v) == 0 || ps.inertExpr(v[0], 0)
	case "expression_statement":
		for _, e := range st.NamedChildren() {
			switch e.Kind {
			case "assignment":
				if l := e.ChildByField("left"); l == nil || l.Kind != "identifier" || !ps.inertExpr(e.ChildByField("right"), 0) {
					return false
				}
			case "string":
			default:
				if !ps.inertExpr(e, 0) {
					return false
				}
			}
		}
		return true
	case "if_statement", "elif_clause", "else_clause":
		if c := st.ChildByField("condition"); c != nil && !ps.inertExpr(c, 0) {
			return false
		}
		for _, c := range st.Children() {
			switch c.Field() {
			case "consequence", "body":
				for _, s := range c.NamedChildren() {
					if !ps.inertStmt(s, depth+1) {
						return false
					}
				}
			case "alternative":
				if !ps.inertStmt(c, depth+1) {
					return false
				}
			}
		}
		return true
	}
	return false
}

// inertExpr: a literal, the request's own data, a local holding either,
// or an answer, redirect or log line built from them.
func (ps *Pass) inertExpr(e *python.Node, depth int) bool {
	e = e.Unparen()
	if e == nil || depth > 6 {
		return e == nil
	}
	switch e.Kind {
	case "string", "integer", "float", "true", "false", "none", "concatenated_string":
		return !strings.Contains(e.Text(), "{") || ps.inertChildren(e, depth)
	case "identifier":
		if fn := e.Ancestor("function_definition"); fn != nil {
			if rhs := localAssignBefore(fn, e); rhs != nil {
				return ps.inertExpr(rhs, depth+1)
			}
		}
		// A module constant may be the protected answer itself (a flag,
		// a report): only literals written in place count as inert.
		return ps.requestDerived(e, 0)
	case "attribute", "subscript":
		return ps.requestDerived(e, 0)
	case "call":
		fn := e.ChildByField("function")
		d := fn.Text()
		// request.args.get(...), request.get_json(): a read of the request;
		// any other call given request data may act on it.
		if strings.HasPrefix(d, "request.") || strings.HasPrefix(d, "flask.request.") {
			return true
		}
		logging := fn.Kind == "attribute" && strings.Contains(strings.ToLower(fn.ChildByField("object").Text()), "log")
		if !logging && !inertCallees[lastName(d)] {
			return false
		}
		return ps.inertChildren(e.ChildByField("arguments"), depth)
	case "dictionary", "list", "tuple", "set", "pair", "expression_list", "boolean_operator", "conditional_expression",
		"comparison_operator", "binary_operator", "not_operator", "keyword_argument", "argument_list", "interpolation":
		return ps.inertChildren(e, depth)
	}
	return false
}

func (ps *Pass) inertChildren(e *python.Node, depth int) bool {
	for _, c := range e.NamedChildren() {
		if c.Kind == "identifier" && c.Field() == "name" || c.Kind == "string_start" || c.Kind == "string_content" ||
			c.Kind == "string_end" || c.Kind == "escape_sequence" || c.Kind == "comment" {
			continue
		}
		if !ps.inertExpr(c, depth+1) {
			return false
		}
	}
	return true
}

// localAssignBefore is the right side of the last plain assignment to the
// identifier id in fn before it, or nil.
func localAssignBefore(fn, id *python.Node) *python.Node {
	var rhs *python.Node
	fn.ChildByField("body").Walk(func(x *python.Node) bool {
		if x.Start >= id.Start {
			return false
		}
		if x.Kind == "function_definition" || x.Kind == "lambda" {
			return false
		}
		if x.Kind == "assignment" {
			if l := x.ChildByField("left"); l != nil && l.Kind == "identifier" && l.Text() == id.Text() && !x.Contains(id) {
				rhs = x.ChildByField("right")
			}
		}
		return true
	})
	return rhs
}
