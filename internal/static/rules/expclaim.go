package rules

// Expiry in a claim of the project's own (tuning-informed, batch 4:
// ras-frontstage's session JWT carries "expires_in", which validate_jwt
// compares with the time and refuses when missing). A token without exp
// whose issuer writes another claim that the project compares with the
// current time expires by hand: a review item, like a decode that skips
// verify_exp and compares exp itself.

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// handExpiry is a comparison of one of the claims with the current time
// anywhere in the project (the claim read directly, or through a name it
// is bound to), or nil.
func (ps *Pass) handExpiry(claims map[string]claim) *python.Node {
	if len(claims) == 0 {
		return nil
	}
	for _, m := range ps.Project.Modules {
		src := string(m.File.Src)
		if !strings.Contains(src, "now()") && !strings.Contains(src, "time()") {
			continue
		}
		for _, cmp := range m.File.OfKind("comparison_operator") {
			ops := cmp.NamedChildren()
			if len(ops) != 2 || !(nowExpr(ops[0]) || nowExpr(ops[1])) {
				continue
			}
			for _, o := range ops {
				if k := claimRead(o); k != "" && k != "exp" {
					if _, ok := claims[k]; ok {
						return cmp
					}
				}
			}
		}
	}
	return nil
}

// nowExpr: the current time (time.time(), datetime.now(...),
// datetime.utcnow(), and .timestamp() of one).
func nowExpr(n *python.Node) bool {
	t := n.Unparen().Text()
	return strings.Contains(t, "time.time()") || strings.Contains(t, ".now(") || strings.Contains(t, "utcnow()")
}

// claimRead is the claim key x["k"] / x.get("k") reads, also through a
// name bound to one in the function (expires_in := token.get("expires_in")).
func claimRead(n *python.Node) string {
	n = n.Unparen()
	switch n.Kind {
	case "subscript":
		s, _ := n.ChildByField("subscript").StringValue()
		return s
	case "call":
		fn := n.ChildByField("function")
		if fn != nil && fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "get" {
			s, _ := positional(n, 0).StringValue()
			return s
		}
	case "identifier":
		fn := n.Ancestor("function_definition")
		if fn == nil {
			return ""
		}
		key := ""
		fn.Walk(func(x *python.Node) bool {
			if key != "" || x.Start >= n.Start {
				return false
			}
			var name, val *python.Node
			switch x.Kind {
			case "named_expression":
				name, val = x.ChildByField("name"), x.ChildByField("value")
			case "assignment":
				name, val = x.ChildByField("left"), x.ChildByField("right")
			}
			if name != nil && val != nil && name.Text() == n.Text() && val.Kind != "identifier" {
				key = claimRead(val)
			}
			return true
		})
		return key
	}
	return ""
}
