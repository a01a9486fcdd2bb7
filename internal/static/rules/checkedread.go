package rules

// Unverified reads that decide nothing: the token was verified by a call
// before its claims are read, or the read only words the error of a
// verification that already failed.

import "github.com/authprobe/authprobe/internal/static/python"

// verifiedBefore: earlier in the function the same token is handed to a
// verifier (_jwt._validate_token(token), auth.verify_token(token)) that
// raises on a bad signature; the unverified read then reads a checked
// token.
func verifiedBefore(ps *Pass, c Call, fn *python.Node) bool {
	tok := c.Arg(0, "token")
	if tok == nil {
		return false
	}
	for _, o := range ps.Calls {
		if o.Node.Start >= c.Node.Start || !fn.Contains(o.Node) || !verifierName(o.Node.ChildByField("function").DottedName()) {
			continue
		}
		if passes(o, tok.Text()) {
			return true
		}
	}
	return false
}

// failurePath: n is in an except block that ends by raising: whatever it
// reads only explains a failure already decided (a message built from
// the token that failed verification).
func failurePath(n *python.Node) bool {
	ex := n.Ancestor("except_clause")
	if ex == nil {
		return false
	}
	var block *python.Node
	for _, c := range ex.NamedChildren() {
		if c.Kind == "block" {
			block = c
		}
	}
	if block == nil {
		return false
	}
	st := block.NamedChildren()
	return len(st) > 0 && st[len(st)-1].Kind == "raise_statement"
}
