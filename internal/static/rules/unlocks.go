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
		case "try_statement":
			for _, c := range st.NamedChildren() {
				if c.Kind == "finally_clause" || c.Kind == "else_clause" {
					return false // its finally (or else) block runs too: not read
				}
			}
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
	if fn == nil {
		return false
	}
	for _, r := range ps.Project.Routes {
		if r.Def == fn {
			return true
		}
	}
	return false
}
