package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// callName is the dotted name of a call's function ("jwt.decode").
func callName(call *python.Node) string {
	return call.ChildByField("function").DottedName()
}

// isDecode reports whether a dotted call name is a JWT decode of PyJWT,
// python-jose or authlib.
func isDecode(name string) bool {
	last := name[strings.LastIndexByte(name, '.')+1:]
	return last == "decode" && strings.Contains(strings.ToLower(name), "jwt") || last == "decode" && name == "decode"
}

// args returns the argument nodes of a call (positional and keyword).
func args(call *python.Node) []*python.Node {
	list := call.ChildByField("arguments")
	if list == nil {
		return nil
	}
	return list.NamedChildren()
}

// positional returns the positional arguments of a call.
func positional(call *python.Node) []*python.Node {
	var out []*python.Node
	for _, a := range args(call) {
		if a.Kind != "keyword_argument" && a.Kind != "list_splat" && a.Kind != "dictionary_splat" {
			out = append(out, a)
		}
	}
	return out
}

// kwargNode returns the keyword_argument node named name, or nil.
func kwargNode(call *python.Node, name string) *python.Node {
	for _, a := range args(call) {
		if a.Kind == "keyword_argument" && a.ChildByField("name").Text() == name {
			return a
		}
	}
	return nil
}

// kwarg returns the value of the keyword argument named name, or nil.
func kwarg(call *python.Node, name string) *python.Node {
	return kwargNode(call, name).ChildByField("value")
}

// stringList returns the string values of a list or tuple literal of
// strings; nil when it is anything else.
func stringList(n *python.Node) []string {
	n = n.Unparen()
	if n == nil || (n.Kind != "list" && n.Kind != "tuple" && n.Kind != "set") {
		return nil
	}
	var out []string
	for _, c := range n.NamedChildren() {
		v, ok := c.StringValue()
		if !ok {
			return nil
		}
		out = append(out, v)
	}
	return out
}

// configKey returns KEY for app.config["KEY"] (or config["KEY"]) and
// app.config.KEY-style subscripts; "" otherwise.
func configKey(n *python.Node) string {
	if n == nil || n.Kind != "subscript" {
		return ""
	}
	if !strings.HasSuffix(n.ChildByField("value").DottedName(), "config") {
		return ""
	}
	v, _ := n.ChildByField("subscript").StringValue()
	return v
}

// removeFromList returns the edit that removes one element of a list,
// tuple or argument list, with the comma that separates it.
func removeFromList(src []byte, items []*python.Node, i int) Edit {
	n := items[i]
	switch {
	case len(items) == 1:
		return Edit{Start: n.Start, End: n.End}
	case i < len(items)-1:
		return Edit{Start: n.Start, End: items[i+1].Start}
	default:
		// Last element: from the end of the previous one.
		return Edit{Start: items[i-1].End, End: n.End}
	}
}

// quote renders a Go string as a Python string literal.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// pyList renders strings as a Python list literal.
func pyList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = quote(v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
