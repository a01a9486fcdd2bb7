package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixTokenType makes a hand-written verifier refuse refresh tokens where
// an access token is due (session.refresh-as-access): the type claim and
// its refresh value are the ones the code itself checks at its refresh
// endpoint (`claims.get("type") != "refresh"`); the refusal is the one
// the verifier answers an invalid token with (its except branch).
func fixTokenType(s *site) (*attempt, string) {
	for _, call := range s.onLine("call") {
		if !isDecode(callName(call)) {
			continue
		}
		as := call.Parent
		if as == nil || as.Kind != "assignment" || as.ChildByField("left").Kind != "identifier" {
			return nil, "the decoded claims are not assigned to a name"
		}
		claims := as.ChildByField("left").Text()
		try := as.Ancestor("try_statement")
		if try == nil {
			return nil, "the decode is not in a try whose except answers the refusal to reuse"
		}
		refusal := exceptReturn(try)
		if refusal == "" {
			return nil, "the decode's except branch does not answer with one return to reuse"
		}
		field, value := typeCheck(s.file)
		if field == "" {
			return nil, "the code checks no token type claim against a refresh value anywhere; the claim to require needs a person"
		}
		ind := indentOf(s.src(), try.Start)
		text := ind + "if " + claims + ".get(" + quote(field) + ") == " + quote(value) + ":\n" + ind + "    " + refusal + "\n"
		e := insertAfter(s.src(), try.End, text)
		return &attempt{edits: []Edit{e}, what: "a token whose " + quote(field) + " claim is " + quote(value) + " is refused where an access token is due"}, ""
	}
	return nil, "no jwt.decode call on " + s.f.Location.String()
}

// exceptReturn returns the return statement that is the whole body of the
// try's first except clause.
func exceptReturn(try *python.Node) string {
	for _, c := range try.NamedChildren() {
		if c.Kind != "except_clause" {
			continue
		}
		var body *python.Node
		for _, b := range c.NamedChildren() {
			if b.Kind == "block" {
				body = b
			}
		}
		if body == nil {
			return ""
		}
		sts := body.NamedChildren()
		if len(sts) == 1 && sts[0].Kind == "return_statement" && !strings.Contains(sts[0].Text(), "\n") {
			return sts[0].Text()
		}
		return ""
	}
	return ""
}

// typeCheck finds the comparison of a claim with a refresh value, as
// X.get("F") != "refresh" or X["F"] == "refresh", and returns F and the value.
func typeCheck(f *python.File) (string, string) {
	field, value := "", ""
	f.Root.Walk(func(n *python.Node) bool {
		if field != "" || n.Kind != "comparison_operator" {
			return field == ""
		}
		cs := n.NamedChildren()
		if len(cs) != 2 {
			return true
		}
		v, ok := cs[1].StringValue()
		if !ok || !strings.EqualFold(v, "refresh") {
			return true
		}
		switch l := cs[0]; l.Kind {
		case "call":
			if fn := l.ChildByField("function"); fn != nil && fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "get" {
				if a := positional(l); len(a) >= 1 {
					if k, ok := a[0].StringValue(); ok {
						field, value = k, v
					}
				}
			}
		case "subscript":
			if k, ok := l.ChildByField("subscript").StringValue(); ok {
				field, value = k, v
			}
		}
		return true
	})
	return field, value
}
