package flask

import (
	"path"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// File paths a module builds from its own location: __file__,
// os.path.dirname/abspath/realpath/join and pathlib's Path(...).parent and
// "/" on them. Such a value is a Str with Path set: a path from the
// analysed root (src/app/base.py), which a loader of spec files (connexion
// add_api) reads as is rather than relative to its own directory.

// pathCall evaluates the os.path and pathlib calls that keep a
// root-relative path; ok is false when the call is none of them.
func (p *Project) pathCall(n *python.Node, d string, args []*python.Node, depth int) (Value, bool) {
	m := p.ModuleOf(n)
	if m == nil {
		return Value{}, false
	}
	q := m.Qualify(d)
	switch q {
	case "os.path.dirname", "posixpath.dirname":
		if len(args) == 1 {
			if v := p.eval(args[0], depth+1); v.Kind == Str && v.Path {
				return Value{Kind: Str, S: path.Dir(v.S), Path: true, Node: n}, true
			}
		}
		return Value{Node: n}, true
	case "os.path.abspath", "os.path.realpath", "os.path.normpath", "pathlib.Path", "pathlib.PurePath":
		if len(args) == 1 {
			if v := p.eval(args[0], depth+1); v.Kind == Str && v.Path {
				return Value{Kind: Str, S: path.Clean(v.S), Path: true, Node: n}, true
			}
		}
		return Value{Node: n}, true
	case "os.path.join", "posixpath.join":
		return p.joinPaths(n, args, depth), true
	}
	return Value{}, false
}

// joinPaths is os.path.join over a root-relative path and constant parts.
func (p *Project) joinPaths(n *python.Node, args []*python.Node, depth int) Value {
	if len(args) == 0 {
		return Value{Node: n}
	}
	first := p.eval(args[0], depth+1)
	if first.Kind != Str || !first.Path {
		return Value{Node: n}
	}
	out := first.S
	for _, a := range args[1:] {
		v := p.eval(a, depth+1)
		if v.Kind != Str || strings.HasPrefix(v.S, "/") {
			return Value{Node: n}
		}
		out = path.Join(out, v.S)
	}
	return Value{Kind: Str, S: out, Path: true, Node: n}
}

// pathAttr is Path(__file__).parent (and .resolve().parent).
func pathAttr(obj Value, attr string, n *python.Node) (Value, bool) {
	if obj.Kind != Str || !obj.Path {
		return Value{}, false
	}
	switch attr {
	case "parent":
		return Value{Kind: Str, S: path.Dir(obj.S), Path: true, Node: n}, true
	}
	return Value{}, false
}

// specFiles are the OpenAPI files an add_api argument names: the file
// itself, or each file a builder chain merges (SpecBuilder().add_spec(a)
// .add_spec(b), a name bound to one); root-relative paths keep Path.
func (p *Project) specFiles(arg *python.Node) []Value {
	if v := p.Eval(arg); v.Kind == Str {
		if isSpecFile(v.S) {
			return []Value{v}
		}
		return nil
	}
	expr := arg.Unparen()
	if expr != nil && expr.Kind == "identifier" {
		expr = p.nameRHS(p.ModuleOf(expr), expr, expr.Text(), 0)
	}
	if expr == nil {
		return nil
	}
	// The builder chain: each call's own arguments, then the call it is
	// made on (an argument that is a path expression the model cannot
	// compute is not a file, whatever literal it holds).
	var out []Value
	for c := expr.Unparen(); c != nil && c.Kind == "call"; {
		for _, a := range c.ChildByField("arguments").NamedChildren() {
			if v := p.Eval(a); v.Kind == Str && isSpecFile(v.S) {
				out = append(out, v)
			}
		}
		f := c.ChildByField("function")
		if f == nil || f.Kind != "attribute" {
			break
		}
		c = f.ChildByField("object").Unparen()
	}
	// Walk visits the outermost call first; the builder's files in order,
	// each once (a part of a path that names a file is not another file).
	sortByStart(out)
	var kept []Value
	for i, v := range out {
		inner := false
		for j, w := range out {
			if i != j && w.Node != nil && v.Node != nil && w.Node != v.Node && w.Node.Contains(v.Node) {
				inner = true
			}
		}
		if !inner {
			kept = append(kept, v)
		}
	}
	return kept
}

func sortByStart(vs []Value) {
	for i := 1; i < len(vs); i++ {
		for j := i; j > 0 && vs[j].Node != nil && vs[j-1].Node != nil && vs[j].Node.Start < vs[j-1].Node.Start; j-- {
			vs[j], vs[j-1] = vs[j-1], vs[j]
		}
	}
}
