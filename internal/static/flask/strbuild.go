package flask

import (
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// String building on constants: f-strings, "sep".join(LIST), "%s" % X and
// "{}".format(X). Each gives a constant only when every part is one.

// evalFString evaluates an f-string whose interpolations are constants.
func (p *Project) evalFString(n *python.Node, depth int) Value {
	var b strings.Builder
	f := strings.ContainsAny(n.StringPrefix(), "fF")
	for _, c := range n.Children() {
		switch c.Kind {
		case "string_content", "escape_sequence":
			t := c.Text()
			if f {
				t = strings.ReplaceAll(strings.ReplaceAll(t, "{{", "{"), "}}", "}")
			}
			b.WriteString(t)
		case "interpolation":
			parts := c.NamedChildren()
			if len(parts) != 1 {
				return Value{Node: n} // a conversion or format spec
			}
			v := p.eval(parts[0], depth+1)
			s, ok := constText(v)
			if !ok && b.Len() == 0 && f {
				s, ok = p.leadingSetting(parts[0], depth+1) // a rule's run-time prefix
			}
			if !ok && f {
				s, ok = p.settingDefault(v, parts[0]) // a run-time part further in
			}
			if !ok {
				return Value{Node: n}
			}
			b.WriteString(s)
		}
	}
	if !f {
		return Value{Node: n}
	}
	return Value{Kind: Str, S: b.String(), Node: n}
}

// constText renders a constant as str() would.
func constText(v Value) (string, bool) {
	switch v.Kind {
	case Str:
		return v.S, true
	case Int:
		return strconv.FormatInt(v.I, 10), true
	}
	return "", false
}

// evalPercent is "fmt" % args for %s, %d and %%.
func evalPercent(format string, args Value, n *python.Node) Value {
	var items []Value
	if args.Kind == List {
		items = args.Items
	} else {
		items = []Value{args}
	}
	var b strings.Builder
	k := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 >= len(format) {
			b.WriteByte(format[i])
			continue
		}
		i++
		switch format[i] {
		case '%':
			b.WriteByte('%')
		case 's', 'd', 'i', 'r':
			if k >= len(items) {
				return Value{Node: n}
			}
			s, ok := constText(items[k])
			if !ok {
				return Value{Node: n}
			}
			if format[i] == 'r' && items[k].Kind == Str {
				s = "'" + s + "'"
			}
			b.WriteString(s)
			k++
		default:
			return Value{Node: n}
		}
	}
	if k != len(items) {
		return Value{Node: n}
	}
	return Value{Kind: Str, S: b.String(), Node: n}
}

// evalFormat is "fmt".format(args) for {}, {0} and {name} fields.
func (p *Project) evalFormat(format string, args callArgs, n *python.Node, depth int) Value {
	var b strings.Builder
	next := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		switch {
		case c == '{' && i+1 < len(format) && format[i+1] == '{':
			b.WriteByte('{')
			i++
			continue
		case c == '}' && i+1 < len(format) && format[i+1] == '}':
			b.WriteByte('}')
			i++
			continue
		case c != '{':
			b.WriteByte(c)
			continue
		}
		j := strings.IndexByte(format[i:], '}')
		if j < 0 {
			return Value{Node: n}
		}
		field := format[i+1 : i+j]
		i += j
		var arg *python.Node
		switch idx, err := strconv.Atoi(field); {
		case field == "":
			arg = args.positional(next)
			next++
		case err == nil:
			arg = args.positional(idx)
		case strings.ContainsAny(field, ".[!:"):
			return Value{Node: n}
		default:
			arg = args.keyword(field)
		}
		if arg == nil {
			return Value{Node: n}
		}
		v := p.eval(arg, depth+1)
		s, ok := constText(v)
		if !ok {
			s, ok = p.settingDefault(v, arg)
		}
		if !ok {
			return Value{Node: n}
		}
		b.WriteString(s)
	}
	return Value{Kind: Str, S: b.String(), Node: n}
}

// evalJoin is "sep".join(LIST) over constant strings.
func evalJoin(sep string, list Value, n *python.Node) Value {
	if list.Kind != List {
		return Value{Node: n}
	}
	parts := make([]string, 0, len(list.Items))
	for _, it := range list.Items {
		s, ok := constText(it)
		if !ok || it.Kind != Str {
			return Value{Node: n}
		}
		parts = append(parts, s)
	}
	return Value{Kind: Str, S: strings.Join(parts, sep), Node: n}
}
