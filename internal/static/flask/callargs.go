package flask

import "github.com/authprobe/authprobe/internal/static/python"

// positional returns the i-th positional argument.
func positional(args *python.Node, i int) *python.Node {
	k := 0
	for _, a := range args.NamedChildren() {
		switch a.Kind {
		case "keyword_argument", "list_splat", "dictionary_splat":
			continue
		}
		if k == i {
			return a
		}
		k++
	}
	return nil
}

// keyword returns the value of a keyword argument.
func keyword(args *python.Node, name string) *python.Node {
	for _, a := range args.NamedChildren() {
		if a.Kind == "keyword_argument" && a.ChildByField("name").Text() == name {
			return a.ChildByField("value")
		}
	}
	return nil
}

// strArg evaluates a string argument given by position (pos >= 0) or name.
func (p *Project) strArg(args *python.Node, pos int, name string) string {
	var n *python.Node
	if pos >= 0 {
		n = positional(args, pos)
	}
	if n == nil {
		n = keyword(args, name)
	}
	if v := p.Eval(n); v.Kind == Str {
		return v.S
	}
	return ""
}
