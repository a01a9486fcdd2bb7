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

// comparedCredential: `u == "admin" and p == "secret"`, where u is named
// like a user name and p like a password (a variable, an attribute, a
// subscript or .get of the request's data).
func comparedCredential(b *python.Node) (string, string, *python.Node) {
	if b = b.Unparen(); b == nil || !isAnd(b) {
		return "", "", nil
	}
	var user, pw string
	var at *python.Node
	var visit func(n *python.Node)
	visit = func(n *python.Node) {
		n = n.Unparen()
		if n == nil {
			return
		}
		if isAnd(n) {
			for _, k := range n.NamedChildren() {
				visit(k)
			}
			return
		}
		if n.Kind != "comparison_operator" || !strings.Contains(n.Text(), "==") {
			return
		}
		kids := n.NamedChildren()
		if len(kids) != 2 {
			return
		}
		for i, side := range kids {
			v, ok := kids[1-i].StringValue()
			if !ok {
				continue
			}
			switch name := operandName(side); {
			case passwordField(name):
				pw, at = v, kids[1-i]
			case userField(name):
				user = v
			}
		}
	}
	visit(b)
	if user == "" || pw == "" {
		return "", "", nil
	}
	return user, pw, at
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
