package flask

import (
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// failsOpen reports whether n sits in a try block whose except clauses let
// execution continue (no return, raise or abort in some handler).
func (p *Project) failsOpen(n *python.Node) bool {
	for t := n.Ancestor("try_statement"); t != nil; t = t.Ancestor("try_statement") {
		body := t.ChildByField("body")
		if !body.Contains(n) {
			continue
		}
		for _, c := range t.NamedChildren() {
			if c.Kind == "except_clause" && !ExceptExits(c) {
				return true
			}
		}
		return false
	}
	return false
}

// ExceptExits reports whether an except clause returns, raises or aborts.
func ExceptExits(c *python.Node) bool {
	exits := false
	c.Walk(func(x *python.Node) bool {
		switch x.Kind {
		case "return_statement", "raise_statement":
			exits = true
		case "call":
			d := x.ChildByField("function").DottedName()
			if d == "abort" || strings.HasSuffix(d, ".abort") || strings.HasPrefix(d, "sys.exit") {
				exits = true
			}
		case "function_definition":
			return false
		}
		return !exits
	})
	return exits
}

func dedupLocs(ls []Loc) []Loc {
	sort.Slice(ls, func(i, j int) bool {
		if ls[i].File != ls[j].File {
			return ls[i].File < ls[j].File
		}
		return ls[i].Line < ls[j].Line
	})
	out := ls[:0]
	for i, l := range ls {
		if i == 0 || l != ls[i-1] {
			out = append(out, l)
		}
	}
	return out
}
