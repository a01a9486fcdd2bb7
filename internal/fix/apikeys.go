package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixKeyCompare makes the API key comparison on the cause line constant
// time and refuse the empty key:
//
//	key in KEYS        → any(hmac.compare_digest(...) for k in KEYS if k), key non-empty
//	key == known       → hmac.compare_digest(key, known), both non-empty
//	tok.startswith(K)  → hmac.compare_digest(tok, K)
func fixKeyCompare(s *site) (*attempt, string) {
	for _, n := range s.onLine("comparison_operator", "call") {
		if n.Line != s.line {
			continue
		}
		text, what := keyCompare(n)
		if text == "" {
			continue
		}
		edits := []Edit{{Start: n.Start, End: n.End, New: text}}
		if e, ok := importIfMissing(s.file, "hmac"); ok {
			edits = append(edits, e)
		}
		return &attempt{edits: edits, what: what}, ""
	}
	return nil, "no key comparison (in, ==, startswith) on " + s.f.Location.String()
}

// keyCompare returns the constant-time replacement of one comparison.
func keyCompare(n *python.Node) (string, string) {
	ct := func(a, b string) string {
		return "hmac.compare_digest(str(" + a + ").encode(), str(" + b + ").encode())"
	}
	switch n.Kind {
	case "comparison_operator":
		ops := n.NamedChildren()
		if len(ops) != 2 || !plain(ops[0]) || !plain(ops[1]) {
			return "", ""
		}
		a, b := ops[0].Text(), ops[1].Text()
		switch {
		case n.HasChildKind("not in"):
			return "not (" + a + " and any(" + ct(a, "k") + " for k in " + b + " if k))",
				"the key is checked against each configured key in constant time; empty keys are refused"
		case n.HasChildKind("in"):
			return "(" + a + " and any(" + ct(a, "k") + " for k in " + b + " if k))",
				"the key is checked against each configured key in constant time; empty keys are refused"
		case n.HasChildKind("=="):
			return "(" + a + " and " + b + " and " + ct(a, b) + ")",
				"the key is compared in constant time; empty keys are refused"
		case n.HasChildKind("!="):
			return "not (" + a + " and " + b + " and " + ct(a, b) + ")",
				"the key is compared in constant time; empty keys are refused"
		}
	case "call":
		fn := n.ChildByField("function")
		if fn == nil || fn.Kind != "attribute" || fn.ChildByField("attribute").Text() != "startswith" {
			return "", ""
		}
		pos := positional(n)
		obj := fn.ChildByField("object")
		if len(pos) != 1 || !plain(obj) || !plain(pos[0]) {
			return "", ""
		}
		return "(" + obj.Text() + " and " + ct(obj.Text(), pos[0].Text()) + ")",
			"the whole token is compared in constant time, not its prefix"
	}
	return "", ""
}

// plain reports whether an operand is a name, attribute or subscript, or
// a mapping read X.get("key") (evaluating it twice is harmless).
func plain(n *python.Node) bool {
	switch n.Kind {
	case "identifier", "attribute":
		return true
	case "subscript":
		_, ok := n.ChildByField("subscript").StringValue()
		return ok && !strings.Contains(n.Text(), "(")
	case "call":
		fn := n.ChildByField("function")
		a := args(n)
		if fn == nil || fn.Kind != "attribute" || fn.ChildByField("attribute").Text() != "get" || len(a) != 1 {
			return false
		}
		_, ok := a[0].StringValue()
		return ok && plain(fn.ChildByField("object"))
	}
	return false
}
