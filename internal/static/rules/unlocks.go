package rules

// What passing a check unlocks. A credential compare matters because of
// the code that runs only once the compare passes: the route's answer, a
// login, a token, a write. Where that code is provably inert — it only
// logs, echoes data the request itself carried (a webhook handshake's
// challenge), redirects, refuses anyway or returns a constant — the value
// compared protects nothing, whatever it is called (batch 6: WhatsApp's
// hub.verify_token handshake, a Telegram webhook that answers "ok" and
// does nothing). That fact is a counter step for the gate. Anything the
// analysis cannot prove inert (a call it does not know, the end of a
// hook or of a decorator's wrapper, a loop, a helper whose callers decide)
// counts as a protected action: the finding keeps its weight.

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// inertCallees return or build an answer from their arguments only.
var inertCallees = map[string]bool{
	"jsonify": true, "make_response": true, "Response": true, "redirect": true, "url_for": true,
	"abort": true, "str": true, "int": true, "len": true, "dict": true, "print": true, "flash": true,
}

// passUnlocksNothing is the reason passing the check at n (a comparison,
// or a startswith/endswith call) leads only to inert code, or "".
func (ps *Pass) passUnlocksNothing(n *python.Node) string {
	passTrue := !(n.Kind == "comparison_operator" && (n.HasChildKind("!=") || n.HasChildKind("not in")))
	cur := n
	for {
		par := cur.Parent
		if par == nil {
			return ""
		}
		switch par.Kind {
		case "parenthesized_expression":
		case "not_operator":
			passTrue = !passTrue
		case "boolean_operator":
			// (x and check) true implies the check passed; (x or check)
			// false implies it did too. The other way round, a branch is
			// reachable without passing.
			if par.HasChildKind("and") != passTrue {
				return ""
			}
		case "if_statement":
			if cur.Field() != "condition" {
				return ""
			}
			if passTrue {
				if ps.inertFrom(par.ChildByField("consequence"), 0, 0) {
					return "passing the check only logs, echoes the request's own data, redirects or returns a constant: it unlocks nothing"
				}
				return ""
			}
			// if not passed: refuse — then what follows the if statement.
			if hasAlternative(par) || !exits(par.ChildByField("consequence")) {
				return ""
			}
			if ps.inertAfter(par, 0) {
				return "what runs after the check passes only logs, echoes the request's own data, redirects or returns a constant: it unlocks nothing"
			}
			return ""
		default:
			return ""
		}
		cur = par
	}
}

func hasAlternative(ifs *python.Node) bool {
	for _, c := range ifs.Children() {
		if c.Field() == "alternative" {
			return true
		}
	}
	return false
}

// exits: the block's last statement returns, raises or aborts.
func exits(block *python.Node) bool {
	st := lastStatement(block)
	if st == nil {
		return false
	}
	switch st.Kind {
	case "return_statement", "raise_statement":
		return true
	case "expression_statement":
		if c := st.NamedChildren(); len(c) == 1 && c[0].Kind == "call" {
			return lastName(c[0].ChildByField("function").Text()) == "abort"
		}
	}
	return false
}

func lastStatement(block *python.Node) *python.Node {
	if block == nil {
		return nil
	}
	var last *python.Node
	for _, st := range block.NamedChildren() {
		if st.Kind != "comment" {
			last = st
		}
	}
	return last
}

func lastName(d string) string {
	if i := strings.LastIndexByte(d, '.'); i >= 0 {
		return d[i+1:]
	}
	return d
}

// inertFrom: the statements of block from index i on, and whatever runs
// after the block when they fall through, are inert.
func (ps *Pass) inertFrom(block *python.Node, i, depth int) bool {
	if block == nil || depth > 6 {
		return false
	}
	sts := block.NamedChildren()
	for ; i < len(sts); i++ {
		st := sts[i]
		if st.Kind == "comment" {
			continue
		}
		if !ps.inertStmt(st, 0) {
			return false
		}
		if st.Kind == "return_statement" || st.Kind == "raise_statement" || exits(block) && i == len(sts)-1 {
			return true
		}
	}
	return ps.inertAfter(block.Parent, depth+1)
}

// inertAfter: what runs once the statement st (or the clause holding the
// block that fell through) completes is inert.
func (ps *Pass) inertAfter(st *python.Node, depth int) bool {
	for st != nil {
		switch st.Kind {
		case "else_clause", "elif_clause", "except_clause", "finally_clause":
			st = st.Parent
			continue
		case "for_statement", "while_statement", "module", "class_definition":
			return false // a loop runs its body again; module code is no handler
		case "function_definition":
			// Falling off a view's end answers nothing; falling off a hook's
			// or a wrapper's end runs the route.
			return ps.servedView(st)
		}
		blk := st.Parent
		if blk == nil || blk.Kind != "block" && blk.Kind != "module" {
			return false
		}
		for i, s := range blk.NamedChildren() {
			if s == st {
				return ps.inertFrom(blk, i+1, depth)
			}
		}
		return false
	}
	return false
}

// servedView: fn is the handler of a route.
func (ps *Pass) servedView(fn *python.Node) bool {
	for _, r := range ps.Project.Routes {
		if r.Def == fn {
			return true
		}
	}
	return false
}

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

// readUnlocksNothing is the reason a credential read from the request
// unlocks nothing: every use of it (the read itself, or the local it is
// kept in) lies in checks whose passing is inert, or in log lines; "" when
// any use may matter or no check uses it.
func (ps *Pass) readUnlocksNothing(read *python.Node) string {
	fn := read.Ancestor("function_definition")
	if fn == nil {
		return ""
	}
	uses := []*python.Node{read}
	cur := read
	for cur.Parent != nil && (cur.Parent.Kind == "parenthesized_expression" || cur.Parent.Kind == "boolean_operator") {
		cur = cur.Parent
	}
	if a := cur.Parent; a != nil && a.Kind == "assignment" && cur.Field() == "right" {
		l := a.ChildByField("left")
		if l == nil || l.Kind != "identifier" {
			return ""
		}
		uses = nil
		fn.ChildByField("body").Walk(func(x *python.Node) bool {
			if x.Kind == "identifier" && x.Text() == l.Text() && x != l {
				uses = append(uses, x)
			}
			return true
		})
	}
	why := ""
	for _, u := range uses {
		c := u
		for c.Parent != nil && (c.Parent.Kind == "parenthesized_expression" || c.Parent.Kind == "call" && c.Field() == "function") {
			c = c.Parent
		}
		switch p := c.Parent; {
		case p != nil && p.Kind == "comparison_operator":
			w := ps.passUnlocksNothing(p)
			if w == "" {
				return ""
			}
			why = w
		case p != nil && p.Kind == "argument_list" && ps.inertExpr(p.Parent, 0):
			// a log line
		default:
			return ""
		}
	}
	return why
}

// checkedAgainstRequest: the name the literal lit is assigned to (a
// constant, a config key, an attribute) is compared, looked up or matched
// somewhere in the project against a request value: the project uses it
// as a credential, whatever its format says.
func (ps *Pass) checkedAgainstRequest(lit *python.Node) bool {
	a := lit.Parent
	for a != nil && a.Kind != "assignment" && a.Kind != "pair" && a.Kind != "keyword_argument" && a.Kind != "block" && a.Kind != "module" {
		a = a.Parent
	}
	if a == nil {
		return true
	}
	var name string
	switch a.Kind {
	case "assignment":
		l := a.ChildByField("left")
		name = l.Text()
		if l.Kind == "attribute" {
			name = l.ChildByField("attribute").Text()
		}
	case "pair":
		name, _ = a.ChildByField("key").StringValue()
	case "keyword_argument":
		name = a.ChildByField("name").Text()
	}
	if name == "" {
		return true // not known where it goes: keep the finding
	}
	found := false
	for _, m := range ps.Project.Modules {
		for _, c := range m.File.OfKind("comparison_operator") {
			if !strings.Contains(c.Text(), name) {
				continue
			}
			for _, o := range c.NamedChildren() {
				if ps.requestDerived(o, 0) {
					found = true
				}
			}
		}
		if found {
			return true
		}
	}
	return false
}
