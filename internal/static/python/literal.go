package python

import (
	"strconv"
	"strings"
)

// StringValue returns the value of a string literal (also implicitly
// concatenated ones). f-strings with interpolations are not constants.
func (n *Node) StringValue() (string, bool) {
	if n == nil {
		return "", false
	}
	switch n.Kind {
	case "concatenated_string":
		var b strings.Builder
		for _, c := range n.NamedChildren() {
			s, ok := c.StringValue()
			if !ok {
				return "", false
			}
			b.WriteString(s)
		}
		return b.String(), true
	case "string":
	default:
		return "", false
	}
	prefix := strings.ToLower(n.StringPrefix())
	if len(n.Children()) == 0 {
		// A plain string: its text between the delimiters, shared with
		// the source as Text is.
		s := n.stringBody()
		if !strings.Contains(prefix, "r") && strings.Contains(s, `\`) {
			s = unescape(s)
		}
		return s, true
	}
	var body strings.Builder
	for _, c := range n.Children() {
		switch c.Kind {
		case "string_content":
			body.WriteString(c.Text())
		case "interpolation":
			return "", false
		case "escape_sequence":
			body.WriteString(c.Text())
		}
	}
	s := body.String()
	if !strings.Contains(prefix, "r") && strings.Contains(s, `\`) {
		s = unescape(s)
	}
	return s, true
}

// StringPrefix returns the prefix letters of a string literal as written
// (f, r, b, u, rb...), "" for a plain string or another node. The tree
// keeps no string_start and string_end nodes: the prefix is what precedes
// the first quote.
func (n *Node) StringPrefix() string {
	if n == nil || n.Kind != "string" {
		return ""
	}
	t := n.Text()
	if i := strings.IndexAny(t, `"'`); i >= 0 {
		return t[:i]
	}
	return ""
}

// stringBody is the text of a string literal between its prefix and
// quotes and its closing quotes.
func (n *Node) stringBody() string {
	t := n.Text()[len(n.StringPrefix()):]
	q := 1
	if strings.HasPrefix(t, `"""`) || strings.HasPrefix(t, "'''") {
		q = 3
	}
	if len(t) < 2*q {
		return ""
	}
	return t[q : len(t)-q]
}

// unescape handles the common escapes; anything unusual is kept as written.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '\\', '\'', '"':
			b.WriteByte(s[i])
		case '\n':
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// IntValue returns the value of an integer literal (also negated).
func (n *Node) IntValue() (int64, bool) {
	if n == nil {
		return 0, false
	}
	switch n.Kind {
	case "integer":
		v, err := strconv.ParseInt(strings.ReplaceAll(n.Text(), "_", ""), 0, 64)
		return v, err == nil
	case "float":
		v, err := strconv.ParseFloat(strings.ReplaceAll(n.Text(), "_", ""), 64)
		return int64(v), err == nil
	case "unary_operator":
		if arg := n.ChildByField("argument"); arg != nil && n.HasChildKind("-") {
			v, ok := arg.IntValue()
			return -v, ok
		}
	case "parenthesized_expression":
		if c := n.NamedChildren(); len(c) == 1 {
			return c[0].IntValue()
		}
	}
	return 0, false
}

// BoolValue returns the value of True/False.
func (n *Node) BoolValue() (bool, bool) {
	if n == nil {
		return false, false
	}
	switch n.Kind {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// DottedName returns "a.b.c" for an identifier or attribute chain, "" for
// anything else.
func (n *Node) DottedName() string {
	if n == nil {
		return ""
	}
	switch n.Kind {
	case "identifier":
		return n.Text()
	case "attribute":
		if n.plainChain() {
			return n.Text()
		}
		obj := n.ChildByField("object").DottedName()
		attr := n.ChildByField("attribute")
		if obj == "" || attr == nil {
			return ""
		}
		return obj + "." + attr.Text()
	}
	return ""
}

// plainChain reports whether n is an attribute chain of identifiers written
// without spaces, comments or line breaks ("a.b.c"): its text is then its
// dotted name, with nothing to build.
func (n *Node) plainChain() bool {
	// The text first: it is one short run of the source, while the chain
	// is two child lookups per link.
	for _, b := range n.File.Src[n.Start:n.End] {
		if !(b == '.' || b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
			return false
		}
	}
	x := n
	if !n.File.HasError {
		// Without a syntax error, an attribute node is its object (its
		// first child, the next node) and its attribute: the chain is
		// walked down the first children, without child lookups.
		for x.Kind == "attribute" {
			x = x.firstChild()
		}
		return x.Kind == "identifier"
	}
	for x.Kind == "attribute" {
		if x.ChildByField("attribute") == nil {
			return false
		}
		if x = x.ChildByField("object"); x == nil {
			return false
		}
	}
	return x.Kind == "identifier"
}

// Unparen strips parentheses around an expression.
func (n *Node) Unparen() *Node {
	for n != nil && n.Kind == "parenthesized_expression" {
		c := n.NamedChildren()
		if len(c) != 1 {
			return n
		}
		n = c[0]
	}
	return n
}
