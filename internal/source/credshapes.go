package source

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

type dictCred struct {
	User, Password string
	at             *python.Node
}

// dictCredentials: a dict literal holding a literal user name and a
// literal password ({"username": "demo", "password": "demo"}), or a
// table keyed by user name whose records hold a literal password
// ({"JOHN": {"password": "1234", "id": 1}}).
func dictCredentials(d *python.Node) []dictCred {
	var user, pw string
	var at *python.Node
	var out []dictCred
	for _, p := range d.NamedChildren() {
		if p.Kind != "pair" {
			continue
		}
		k, ok := p.ChildByField("key").StringValue()
		if !ok {
			continue
		}
		val := p.ChildByField("value").Unparen()
		if v, ok := val.StringValue(); ok {
			switch {
			case passwordField(k):
				pw, at = v, val
			case userField(k):
				user = v
			}
			continue
		}
		if val.Kind == "dictionary" {
			inner := literalPassword(val)
			if inner != nil && !hasUserKey(val) {
				v, _ := inner.StringValue()
				out = append(out, dictCred{User: k, Password: v, at: inner})
			}
		}
	}
	if user != "" && pw != "" {
		out = append(out, dictCred{User: user, Password: pw, at: at})
	}
	return out
}

func literalPassword(d *python.Node) *python.Node {
	for _, p := range d.NamedChildren() {
		if p.Kind != "pair" {
			continue
		}
		if k, ok := p.ChildByField("key").StringValue(); ok && passwordField(k) {
			if v := p.ChildByField("value").Unparen(); v != nil {
				if _, ok := v.StringValue(); ok {
					return v
				}
			}
		}
	}
	return nil
}

func hasUserKey(d *python.Node) bool {
	for _, p := range d.NamedChildren() {
		if p.Kind != "pair" {
			continue
		}
		if k, ok := p.ChildByField("key").StringValue(); ok && userField(k) {
			return true
		}
	}
	return false
}

// comparedCredential: a login's condition comparing the request's values
// with literals, where one operand is named like a user name and the other
// like a password (a variable, an attribute, a subscript or .get of the
// request's data), in any of the shapes that say "these match":
// `u == "admin" and p == "secret"`, its negation `u != "admin" or
// p != "secret"` (the refusal's condition), `not (u == "admin" and ...)`,
// and a tuple compared with a tuple (`(u, p) == ("admin", "secret")`).
func comparedCredential(b *python.Node) (string, string, *python.Node) {
	if b = b.Unparen(); b == nil {
		return "", "", nil
	}
	var user, pw string
	var at *python.Node
	// visit collects the equalities the condition holds when neg is false
	// (it is "they match") or when neg is true (it is "they differ").
	var visit func(n *python.Node, neg bool)
	visit = func(n *python.Node, neg bool) {
		n = n.Unparen()
		if n == nil {
			return
		}
		switch {
		case n.Kind == "not_operator":
			visit(n.ChildByField("argument"), !neg)
			return
		case isAnd(n) && !neg, isOr(n) && neg:
			for _, k := range n.NamedChildren() {
				visit(k, neg)
			}
			return
		}
		if n.Kind != "comparison_operator" {
			return
		}
		kids := n.NamedChildren()
		if len(kids) != 2 || compareOp(n) != map[bool]string{false: "==", true: "!="}[neg] {
			return
		}
		for _, pair := range operandPairs(kids[0], kids[1]) {
			for i, side := range pair {
				v, ok := pair[1-i].StringValue()
				if !ok {
					continue
				}
				switch name := operandName(side); {
				case passwordField(name):
					pw, at = v, pair[1-i]
				case userField(name):
					user = v
				}
			}
		}
	}
	for _, neg := range []bool{false, true} {
		user, pw, at = "", "", nil
		visit(b, neg)
		if user != "" && pw != "" {
			return user, pw, at
		}
	}
	return "", "", nil
}

// compareOp is a two-operand comparison's operator ("==", "!=", ...).
func compareOp(n *python.Node) string {
	kids := n.NamedChildren()
	return strings.TrimSpace(string(n.File.Src[kids[0].End:kids[1].Start]))
}

// operandPairs are the operands compared side by side: the two sides, or
// each element of a tuple against the other tuple's element at its place.
func operandPairs(l, r *python.Node) [][2]*python.Node {
	l, r = l.Unparen(), r.Unparen()
	if l != nil && r != nil && l.Kind == "tuple" && r.Kind == "tuple" {
		lk, rk := l.NamedChildren(), r.NamedChildren()
		if len(lk) == len(rk) {
			var out [][2]*python.Node
			for i := range lk {
				out = append(out, [2]*python.Node{lk[i], rk[i]})
			}
			return out
		}
	}
	return [][2]*python.Node{{l, r}}
}

// isAnd: an `and` of two operands (the operator token lies between them).
func isAnd(n *python.Node) bool {
	if n.Kind != "boolean_operator" {
		return false
	}
	kids := n.NamedChildren()
	if len(kids) != 2 {
		return false
	}
	l, r := kids[0], kids[1]
	src := n.File.Src
	return strings.TrimSpace(string(src[l.End:r.Start])) == "and"
}

// isOr: an `or` of two operands.
func isOr(n *python.Node) bool {
	if n.Kind != "boolean_operator" {
		return false
	}
	kids := n.NamedChildren()
	return len(kids) == 2 && strings.TrimSpace(string(n.File.Src[kids[0].End:kids[1].Start])) == "or"
}

// operandName is the name an operand reads: a variable, an attribute's
// last part, a subscript's or .get's string key.
func operandName(n *python.Node) string {
	n = n.Unparen()
	switch n.Kind {
	case "identifier":
		return n.Text()
	case "attribute":
		return n.ChildByField("attribute").Text()
	case "subscript":
		if k, ok := n.ChildByField("subscript").StringValue(); ok {
			return k
		}
	case "call":
		fn := n.ChildByField("function")
		if fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "get" {
			if args := n.ChildByField("arguments"); args != nil && len(args.NamedChildren()) > 0 {
				if k, ok := args.NamedChildren()[0].StringValue(); ok {
					return k
				}
			}
		}
	}
	return ""
}
