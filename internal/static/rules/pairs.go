package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// publicPrefix: the argument of startswith/endswith is a short constant
// (a literal, or a config/env value whose written default is one) such as
// a key-type prefix "sk_", or a loop over a list of such constants (for
// prefix in config.get("KEY_PREFIXES", ["sst_"])): matching it tests the
// key's shape, not a secret, so it leaks nothing through timing.
func publicPrefix(p *flask.Project, arg *python.Node) bool {
	vs := prefixValues(p, arg, 0)
	for _, v := range vs {
		if !(v.Kind == flask.Str && v.S != "" && len(v.S) < 8 && !keyShaped.MatchString(v.S) && !placeholder(v.S)) {
			return false
		}
	}
	return len(vs) > 0
}

// prefixValues are the constant values n may hold: a literal, the default
// of a config or environment read, the elements of a list, and for a
// local or loop variable what it was bound to; nil when one is not known.
func prefixValues(p *flask.Project, n *python.Node, depth int) []flask.Value {
	n = n.Unparen()
	if n == nil || depth > 4 {
		return nil
	}
	v := p.Eval(n)
	if v.Kind == flask.Env && len(v.Items) == 1 {
		v = v.Items[0]
	}
	switch v.Kind {
	case flask.Str:
		return []flask.Value{v}
	case flask.List:
		for _, it := range v.Items {
			if it.Kind != flask.Str {
				return nil
			}
		}
		return v.Items
	}
	switch n.Kind {
	case "identifier":
		fn := n.Ancestor("function_definition")
		for loop := n.Ancestor("for_statement"); loop != nil && (fn == nil || fn.Contains(loop)); loop = loop.Ancestor("for_statement") {
			if names := loopNames(loop.ChildByField("left")); len(names) == 1 && names[0] == n.Text() {
				return prefixValues(p, loop.ChildByField("right"), depth+1)
			}
		}
		if fn != nil {
			if rhs := flask.LocalAssign(fn, n.Text(), n.Start); rhs != nil && !rhs.Contains(n) {
				return prefixValues(p, rhs, depth+1)
			}
		}
	case "call":
		// config.get("KEY_PREFIXES", ["sst_"]): the written default.
		if f := n.ChildByField("function"); f.Kind == "attribute" && f.ChildByField("attribute").Text() == "get" {
			if d := positional(n, 1); d != nil {
				return prefixValues(p, d, depth+1)
			}
		}
	}
	return nil
}

// lookupBeforeConstantTime: the == (or !=) compare n of the request value
// with sec only selects a credential (the public id half of a pair) when
// the path it opens is then decided by a constant-time check of a value
// derived from a different secret (an HMAC keyed with the secret half)
// against request data. The == on the id is a lookup; the decision is the
// later check. A lone compare, or one followed by a check built from the
// very value compared, stays a finding.
func lookupBeforeConstantTime(ps *Pass, n, sec *python.Node) bool {
	st := n.Ancestor("if_statement")
	if st == nil || !st.ChildByField("condition").Contains(n) {
		return false
	}
	var region []*python.Node
	if n.HasChildKind("==") {
		region = append(region, st.ChildByField("consequence"))
	} else if block := st.Parent; block != nil {
		// if token_id != cred.id: continue — the rest of the block runs
		// for the matching id.
		after := false
		for _, s := range block.NamedChildren() {
			if after {
				region = append(region, s)
			}
			after = after || s == st
		}
	}
	found := false
	for _, r := range region {
		if r == nil || found {
			continue
		}
		r.Walk(func(x *python.Node) bool {
			if found {
				return false
			}
			if x.Kind == "call" && ps.constantTimeCall(x) && checksOtherSecret(ps, x, sec) {
				found = true
				return false
			}
			return true
		})
	}
	return found
}

// constantTimeCall: hmac/secrets.compare_digest, or a project function
// whose body returns one (def safe_equal(a, b): return compare_digest(a, b)).
func (ps *Pass) constantTimeCall(c *python.Node) bool {
	if strings.HasSuffix(c.ChildByField("function").DottedName(), "compare_digest") {
		return true
	}
	m := ps.Project.ModuleOf(c)
	if m == nil {
		return false
	}
	def := calleeDef(ps.Project, m, c)
	if def == nil {
		return false
	}
	ok := false
	def.ChildByField("body").Walk(func(x *python.Node) bool {
		if x.Kind == "return_statement" {
			for _, r := range x.NamedChildren() {
				if r = r.Unparen(); r.Kind == "call" && strings.HasSuffix(r.ChildByField("function").DottedName(), "compare_digest") {
					ok = true
				}
			}
			return false
		}
		return x.Kind != "function_definition" || x == def
	})
	return ok
}

// checksOtherSecret: the constant-time call weighs request data against a
// value derived from a secret other than sec (the id half); the id may
// still be part of the signed message.
func checksOtherSecret(ps *Pass, c, sec *python.Node) bool {
	args := c.ChildByField("arguments").NamedChildren()
	if len(args) != 2 {
		return false
	}
	for i, a := range args {
		if !ps.requestDerived(args[1-i], 0) {
			continue
		}
		if k := secretKeyOf(ps, a); k != nil {
			return !strings.Contains(derivation(k), sec.Text())
		}
	}
	return false
}

// secretKeyOf is the secret a is made from: the key of an HMAC (the data
// of a hash) built from a secret, directly or through a local variable, or
// else a itself when it is a secret; nil when a derives from no secret.
func secretKeyOf(ps *Pass, a *python.Node) *python.Node {
	expr := a.Unparen()
	if expr.Kind == "identifier" {
		if fn := expr.Ancestor("function_definition"); fn != nil {
			if rhs := flask.LocalAssign(fn, expr.Text(), expr.Start); rhs != nil && !rhs.Contains(expr) {
				expr = rhs
			}
		}
	}
	var key *python.Node
	expr.Walk(func(x *python.Node) bool {
		if key != nil {
			return false
		}
		if x.Kind == "call" {
			d := x.ChildByField("function").DottedName()
			if strings.HasPrefix(d, "hmac.") || strings.HasPrefix(d, "hashlib.") {
				if k := unwrapCodec(positional(x, 0)); k != nil && ps.secretDerived(k, 0) {
					key = k
				}
			}
		}
		return true
	})
	if key == nil && ps.secretDerived(a, 0) {
		return a
	}
	return key
}

// derivation is the text of a and, for a local variable, of its assignment.
func derivation(a *python.Node) string {
	a = a.Unparen()
	t := a.Text()
	if a.Kind == "identifier" {
		if fn := a.Ancestor("function_definition"); fn != nil {
			if rhs := flask.LocalAssign(fn, a.Text(), a.Start); rhs != nil && !rhs.Contains(a) {
				t += " " + rhs.Text()
			}
		}
	}
	return t
}

// unwrapCodec strips .encode()/.decode() and bytes()/str() from a value:
// cred.secret.encode() is cred.secret.
func unwrapCodec(n *python.Node) *python.Node {
	for n != nil && n.Unparen().Kind == "call" {
		n = n.Unparen()
		fn := n.ChildByField("function")
		switch {
		case fn.Kind == "attribute" && (fn.ChildByField("attribute").Text() == "encode" || fn.ChildByField("attribute").Text() == "decode"):
			n = fn.ChildByField("object")
		case fn.Text() == "bytes" || fn.Text() == "str":
			n = positional(n, 0)
		default:
			return n
		}
	}
	return n
}
