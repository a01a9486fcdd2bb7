package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// possibleValues evaluates n, or each element a for-loop variable takes.
func possibleValues(p *flask.Project, n *python.Node) []flask.Value {
	n = n.Unparen()
	if n != nil && n.Kind == "identifier" {
		for a := n.Parent; a != nil && a.Kind != "function_definition"; a = a.Parent {
			if a.Kind == "for_statement" && a.ChildByField("left").Text() == n.Text() {
				if v := p.Eval(a.ChildByField("right")); v.Kind == flask.List {
					return v.Items
				}
				return nil
			}
		}
	}
	return []flask.Value{p.Eval(n)}
}

// emptyKey describes how a key expression can be the empty string.
func emptyKey(p *flask.Project, key *python.Node) (string, bool) {
	for _, v := range possibleValues(p, key) {
		switch {
		case v.Kind == flask.Str && v.S == "":
			return "the key is the empty string", true
		case v.Kind == flask.Env && len(v.Items) == 1 && v.Items[0].Kind == flask.Str && v.Items[0].S == "":
			return "the key is \"\" when " + v.EnvName + " is unset", true
		}
	}
	return "", false
}

// denies reports whether a block rejects: raise, abort, or return of a
// 401/403 or of nothing useful is not enough; raise/abort/401/403 are.
func denies(p *flask.Project, block *python.Node) bool {
	found := false
	block.Walk(func(x *python.Node) bool {
		switch x.Kind {
		case "raise_statement":
			found = true
		case "call":
			d := x.ChildByField("function").DottedName()
			found = found || d == "abort" || strings.HasSuffix(d, ".abort")
		case "return_statement":
			v := x.NamedChildren()
			if len(v) == 1 {
				if v[0].Kind == "false" || v[0].Kind == "none" {
					found = true
				}
				if t := v[0].Unparen(); t.Kind == "expression_list" || t.Kind == "tuple" {
					items := t.NamedChildren()
					if len(items) >= 2 {
						if s := p.Eval(items[1]); s.Kind == flask.Int && s.I >= 400 {
							found = true
						}
					}
				}
			}
		}
		return !found
	})
	return found
}

func mentionsAlg(n *python.Node) bool {
	t := strings.ToLower(n.Text())
	return strings.Contains(t, "alg")
}

// runHandRolled finds hand-written verifiers that accept "none" or skip
// the signature check when the signature is empty.
func runHandRolled(ps *Pass) {
	p := ps.Project
	for _, m := range p.Modules {
		m.File.Visit(func(n *python.Node) {
			switch n.Kind {
			case "comparison_operator":
				checkNoneCompare(ps, n)
				checkMixedCompare(ps, n)
			case "if_statement":
				checkSkippableSignature(ps, n)
			}
		}, "comparison_operator", "if_statement")
	}
}

func checkNoneCompare(ps *Pass, n *python.Node) {
	ops := n.NamedChildren()
	if len(ops) != 2 || !mentionsAlg(ops[0]) || !(n.HasChildKind("==") || n.HasChildKind("in")) {
		return
	}
	v := ps.Project.Eval(ops[1])
	names, ok := v.Strings()
	if !ok {
		return
	}
	none := false
	for _, s := range names {
		none = none || strings.EqualFold(s, "none")
	}
	ifs := n.Parent
	for ifs != nil && ifs.Kind == "boolean_operator" || ifs != nil && ifs.Kind == "parenthesized_expression" {
		ifs = ifs.Parent
	}
	if !none || ifs == nil || ifs.Kind != "if_statement" || ifs.ChildByField("condition") == nil || !ifs.ChildByField("condition").Contains(n) {
		return
	}
	if denies(ps.Project, ifs.ChildByField("consequence")) {
		return
	}
	ps.Report("py.jwt-alg-none", n, finding.Firm, "a token whose header says alg \"none\" is accepted without a signature check", nil)
}

// checkSkippableSignature: "if signature: <compare, raise>" with no else
// lets a token with an empty signature through unverified.
func checkSkippableSignature(ps *Pass, n *python.Node) {
	cond := n.ChildByField("condition").Unparen()
	if cond == nil || n.ChildByField("alternative") != nil {
		return
	}
	subject := cond
	if cond.Kind == "call" && cond.ChildByField("function").Text() == "len" {
		subject = positional(cond, 0)
	}
	if subject == nil || subject.Kind != "identifier" && subject.Kind != "attribute" && subject.Kind != "subscript" {
		return
	}
	if !strings.Contains(strings.ToLower(subject.Text()), "sig") {
		return
	}
	body := n.ChildByField("consequence")
	verifies := false
	body.Walk(func(x *python.Node) bool {
		if x.Kind == "call" && strings.HasSuffix(x.ChildByField("function").DottedName(), "compare_digest") {
			verifies = true
		}
		return !verifies
	})
	if !verifies || !denies(ps.Project, body) {
		return
	}
	ps.Report("py.jwt-signature-optional", n, finding.Firm, "the signature is only checked when it is non-empty: a token with an empty signature segment passes", nil)
}

// checkMixedCompare: a hand-written verifier that branches on the header's
// alg and accepts both an HMAC and a public-key algorithm (reported at the
// HMAC branch), the shape of key confusion.
func checkMixedCompare(ps *Pass, n *python.Node) {
	fam := algFamily(ps, n)
	if fam != "hs" {
		return
	}
	fn := n.Ancestor("function_definition")
	if fn == nil {
		return
	}
	for _, other := range fn.File.OfKind("comparison_operator") {
		if other != n && fn.Contains(other) && other.Ancestor("function_definition") == fn && algFamily(ps, other) == "asym" {
			ps.Report("py.jwt-alg-mixed", n, finding.Firm, "the verifier accepts both HMAC and public-key algorithms from the token header", nil)
			return
		}
	}
}

// algFamily classifies "alg == 'HS256'" in an if (or elif) whose branch
// does not reject: "hs", "asym" or "".
func algFamily(ps *Pass, n *python.Node) string {
	ops := n.NamedChildren()
	if len(ops) != 2 || !mentionsAlg(ops[0]) || !n.HasChildKind("==") {
		return ""
	}
	v := ps.Project.Eval(ops[1])
	if v.Kind != flask.Str {
		return ""
	}
	branch := n.Parent
	if branch == nil || branch.Kind != "if_statement" && branch.Kind != "elif_clause" {
		return ""
	}
	if body := branch.ChildByField("consequence").NamedChildren(); len(body) > 0 && denies(ps.Project, body[0]) && body[0].Kind != "if_statement" {
		return "" // the branch rejects that algorithm outright
	}
	switch u := strings.ToUpper(v.S); {
	case strings.HasPrefix(u, "HS"):
		return "hs"
	case strings.HasPrefix(u, "RS") || strings.HasPrefix(u, "ES") || strings.HasPrefix(u, "PS"):
		return "asym"
	}
	return ""
}
