//go:build cgo

package python

import (
	"slices"
	"testing"
	"unsafe"

	ts "github.com/tree-sitter/go-tree-sitter"
	tspython "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// treeSrc mixes the shapes the packed tree must keep apart: nesting,
// operators, comments, prefixed and implicit concatenated strings,
// f-strings, attribute chains written with spaces, and a syntax error.
const treeSrc = `import os, jwt  # comment
from flask import Blueprint as BP

K = r"\d+" + b'\x00' + f"{os.sep}/x" 'tail' """doc"""
bp = BP("b", __name__)


@bp.route("/a/<int:i>", methods=["GET"])
def a(i, *args, **kw):
    x = os . environ . get("K")  # spaced chain
    if x == "y" and i not in (1, 2) or -i > 3:
        return jwt.decode(x, K, algorithms=["HS256"])["sub"]
    return {"ok": [v * 2 for v in range(i)]}


class C(object):
    def m(self):
        return self.app.config["SECRET_KEY"]

def broken(:
    pass
`

// preorder is the reference walk: recursion over Children.
func preorder(n *Node, skip func(*Node) bool, out *[]*Node) {
	*out = append(*out, n)
	if skip(n) {
		return
	}
	for _, c := range n.Children() {
		preorder(c, skip, out)
	}
}

// slowDotted is DottedName built by concatenation only.
func slowDotted(n *Node) string {
	switch n.Kind {
	case "identifier":
		return n.Text()
	case "attribute":
		obj, attr := slowDotted(n.ChildByField("object")), n.ChildByField("attribute")
		if obj == "" || attr == nil {
			return ""
		}
		return obj + "." + attr.Text()
	}
	return ""
}

func TestPackedTree(t *testing.T) {
	f := parse(t, treeSrc)
	if !f.HasError {
		t.Fatal("the syntax error was not reported")
	}
	var all []*Node
	preorder(f.Root, func(*Node) bool { return false }, &all)
	var walked []*Node
	f.Root.Walk(func(n *Node) bool { walked = append(walked, n); return true })
	if !slices.Equal(all, walked) || len(all) < 100 {
		t.Fatalf("walk visits %d nodes, preorder over children %d", len(walked), len(all))
	}
	for _, n := range all {
		for _, c := range n.Children() {
			if c.Parent != n || !n.Contains(c) {
				t.Fatalf("%s at line %d: child %s has parent %v", n.Kind, n.Line, c.Kind, c.Parent)
			}
		}
		// A walk from any node, skipping every function body, is the
		// reference preorder of that subtree.
		skip := func(x *Node) bool { return x.Kind == "block" && x.Parent.Kind == "function_definition" }
		var want, got []*Node
		preorder(n, skip, &want)
		n.Walk(func(x *Node) bool { got = append(got, x); return !skip(x) })
		if !slices.Equal(want, got) {
			t.Fatalf("walk from %s at line %d: %d nodes, want %d", n.Kind, n.Line, len(got), len(want))
		}
		if d := n.DottedName(); d != slowDotted(n) {
			t.Fatalf("dotted name of %q = %q, want %q", n.Text(), d, slowDotted(n))
		}
		var named []*Node
		for _, c := range n.Children() {
			if c.Named() && c.Kind != "comment" {
				named = append(named, c)
			}
		}
		if got := n.NamedChildren(); !slices.Equal(got, named) {
			t.Fatalf("named children of %s: %d, want %d", n.Kind, len(got), len(named))
		}
		if n.Kind == "string_start" || n.Kind == "string_end" {
			t.Fatalf("string delimiters are kept at line %d", n.Line)
		}
	}
	if c := f.Root.Children()[0]; c.Col() != 0 || c.Line != 1 || c.Missing() {
		t.Fatalf("first statement at %d:%d missing=%v", c.Line, c.Col(), c.Missing())
	}
}

func TestStringsWithoutDelimiters(t *testing.T) {
	f := parse(t, "a = r'\\d'\nb = b\"x\\ty\"\nc = f'{a}!'\nd = 'p' \"q\"\ne = '''l\\n'''\ng = Rb'\\z'\nh = ''\n"+
		`i = f"plain"`+"\n"+`j = "a\"b"`+"\n"+`k = """x"y"""`+"\n"+"l = \"line\\\ncont\"\n"+`m = """"""`+"\n"+"n = u'{x}'\n")
	want := map[string]struct {
		v      string
		ok     bool
		prefix string
	}{
		"a": {`\d`, true, "r"}, "b": {"x\ty", true, "b"}, "c": {"", false, "f"},
		"d": {"pq", true, ""}, "e": {"l\n", true, ""}, "g": {`\z`, true, "Rb"}, "h": {"", true, ""},
		"i": {"plain", true, "f"}, "j": {`a"b`, true, ""}, "k": {`x"y`, true, ""}, "l": {"linecont", true, ""},
		"m": {"", true, ""}, "n": {"{x}", true, "u"},
	}
	for _, as := range f.OfKind("assignment") {
		name, right := as.ChildByField("left").Text(), as.ChildByField("right")
		w := want[name]
		v, ok := right.StringValue()
		if v != w.v || ok != w.ok {
			t.Errorf("%s: value %q %v, want %q %v", name, v, ok, w.v, w.ok)
		}
		if right.Kind == "string" && right.StringPrefix() != w.prefix {
			t.Errorf("%s: prefix %q, want %q", name, right.StringPrefix(), w.prefix)
		}
		// A plain string is a leaf; an f-string keeps its parts.
		if right.Kind == "string" && (len(right.Children()) == 0) != w.ok {
			t.Errorf("%s: %d children", name, len(right.Children()))
		}
		delete(want, name)
	}
	if len(want) != 0 {
		t.Fatalf("assignments not seen: %v", want)
	}
}

func TestVisitMergesKinds(t *testing.T) {
	f := parse(t, treeSrc)
	kinds := []string{"call", "string", "attribute", "call"}
	var want []*Node
	f.Root.Walk(func(n *Node) bool {
		if n.Named() && slices.Contains(indexedKinds[:], n.Kind) && slices.Contains(kinds, n.Kind) {
			want = append(want, n)
		}
		return true
	})
	var got []*Node
	f.Visit(func(n *Node) { got = append(got, n) }, kinds...)
	var sorted []*Node
	f.visitSorted(func(n *Node) { sorted = append(sorted, n) }, kinds)
	if !slices.Equal(got, sorted) || len(got) != len(want)+len(f.OfKind("call")) {
		t.Fatalf("merged visit %d nodes, sorted %d, want %d", len(got), len(sorted), len(want)+len(f.OfKind("call")))
	}
}

// Col is tree-sitter's column of the node's start (computed from the
// source, not stored).
func TestColumnsAsTreeSitter(t *testing.T) {
	src := []byte("x = 1\n\tif y:\n\t\tcall(a,  b)  # c\r\nz = f'{q}'\n" + treeSrc)
	f := parse(t, string(src))
	p := ts.NewParser()
	defer p.Close()
	if err := p.SetLanguage(ts.NewLanguage(tspython.Language())); err != nil {
		t.Fatal(err)
	}
	tree := p.Parse(src, nil)
	defer tree.Close()
	col := map[uint]uint{}
	var visit func(n *ts.Node)
	visit = func(n *ts.Node) {
		col[n.StartByte()] = n.StartPosition().Column
		for i := uint(0); i < n.ChildCount(); i++ {
			visit(n.Child(i))
		}
	}
	visit(tree.RootNode())
	n := 0
	f.Root.Walk(func(x *Node) bool {
		if c, ok := col[uint(x.Start)]; !ok || uint(x.Col()) != c {
			t.Fatalf("%s at %d: column %d, tree-sitter %d (%v)", x.Kind, x.Start, x.Col(), c, ok)
		}
		n++
		return true
	})
	if n < 100 {
		t.Fatalf("%d nodes", n)
	}
}

func TestEmptyAndOddSources(t *testing.T) {
	for _, src := range []string{"", "\n", "# only a comment\n", "'''", "x = (", "\x00\xff\xfe", "if x:\n\tpass\n  else"} {
		f := parse(t, src)
		n := 0
		f.Root.Walk(func(x *Node) bool {
			n++
			_ = x.Col()
			_, _ = x.StringValue()
			_ = x.DottedName()
			return true
		})
		var all []*Node
		preorder(f.Root, func(*Node) bool { return false }, &all)
		if n != len(all) || f.Root.Kind != "module" {
			t.Fatalf("%q: walk %d nodes, preorder %d, root %s", src, n, len(all), f.Root.Kind)
		}
	}
}

// A node is 64 bytes, its field packed with its flags and child count;
// every node's field is the one tree-sitter's own binding gives it, and
// ChildByField finds the child tree-sitter's ChildByFieldName does.
func TestFieldsAsTreeSitter(t *testing.T) {
	if s := unsafe.Sizeof(Node{}); s != 64 {
		t.Fatalf("Node is %d bytes", s)
	}
	src := []byte(treeSrc + "y = {k: v for k, v in d.items() if k}\nlambda a, b=1: a[b:2]\n")
	f := parse(t, string(src))
	p := ts.NewParser()
	defer p.Close()
	if err := p.SetLanguage(ts.NewLanguage(tspython.Language())); err != nil {
		t.Fatal(err)
	}
	tree := p.Parse(src, nil)
	defer tree.Close()
	type span struct {
		start, end uint
		kind       string
	}
	field := map[span]string{}
	var visit func(n *ts.Node)
	visit = func(n *ts.Node) {
		for i := uint(0); i < n.ChildCount(); i++ {
			c := n.Child(i)
			field[span{c.StartByte(), c.EndByte(), c.Kind()}] = n.FieldNameForChild(uint32(i))
			visit(c)
		}
	}
	visit(tree.RootNode())
	named := 0
	f.Root.Walk(func(x *Node) bool {
		if x.Parent == nil {
			return true
		}
		want, ok := field[span{uint(x.Start), uint(x.End), x.Kind}]
		if !ok {
			t.Fatalf("%s at %d-%d: not in tree-sitter's tree", x.Kind, x.Start, x.End)
		}
		if x.Field() != want {
			t.Fatalf("%s at %d: field %q, tree-sitter %q", x.Kind, x.Start, x.Field(), want)
		}
		if want != "" {
			named++
			if got := x.Parent.ChildByField(want); got == nil || got.Field() != want {
				t.Fatalf("%s at %d: ChildByField(%q) = %v", x.Parent.Kind, x.Parent.Start, want, got)
			}
		}
		return true
	})
	if named < 50 {
		t.Fatalf("%d nodes with a field", named)
	}
}

// In a file without syntax errors the dotted name of an attribute chain
// walks the first children only: every shape of chain gives the name
// built link by link.
func TestDottedNameWithoutErrors(t *testing.T) {
	f := parse(t, `import a.b.c
x = a.b.c
y = None.real, True.real, 1.0.real, 1 .real, print.x, exec.y, match.z, type.w
z = (a).b, a . b, a.
b = 1
w = a.b().c, a[0].b, a.b[0], "s".join, f"{a.b}".x, self.app.route, _x.__dict__.get
v = (a
     .b  # comment
     .c)
v2 = a.b.c.d.e.f.g.h
`)
	if f.HasError {
		t.Fatal("the clean source has a syntax error")
	}
	attrs := 0
	f.Root.Walk(func(n *Node) bool {
		if d := n.DottedName(); d != slowDotted(n) {
			t.Fatalf("dotted name of %q = %q, want %q", n.Text(), d, slowDotted(n))
		}
		if n.Kind == "attribute" {
			attrs++
		}
		return true
	})
	if attrs < 30 {
		t.Fatalf("%d attributes", attrs)
	}
}
