//go:build cgo

package python

import (
	"context"
	"strings"
	"testing"
)

func parse(t testing.TB, src string) *File {
	t.Helper()
	p, err := NewParser()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	f, err := p.Parse(context.Background(), "x.py", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestParseTree(t *testing.T) {
	src := "import jwt\n\nclaims = jwt.decode(tok, 'k', algorithms=['HS256'])  # c\nif a == b:\n    pass\n"
	f := parse(t, src)
	if f.HasError {
		t.Fatal("valid source reported with errors")
	}
	if f.Root.Kind != "module" || f.Lines() != 5 {
		t.Fatalf("root %s lines %d", f.Root.Kind, f.Lines())
	}
	var call, cmp *Node
	f.Root.Walk(func(n *Node) bool {
		switch n.Kind {
		case "call":
			call = n
		case "comparison_operator":
			cmp = n
		}
		return true
	})
	if call == nil || call.Line != 3 || call.ChildByField("function").DottedName() != "jwt.decode" {
		t.Fatalf("call not found at line 3: %+v", call)
	}
	args := call.ChildByField("arguments").NamedChildren()
	if len(args) != 3 || args[2].Kind != "keyword_argument" {
		t.Fatalf("arguments: %d", len(args))
	}
	if s, ok := args[1].StringValue(); !ok || s != "k" {
		t.Fatalf("string value %q %v", s, ok)
	}
	if cmp == nil || !cmp.HasChildKind("==") || cmp.Field() != "condition" || cmp.Parent.Kind != "if_statement" {
		t.Fatalf("comparison: %+v", cmp)
	}
	if got := f.Line(3); !strings.HasPrefix(got, "claims =") {
		t.Fatalf("line 3 = %q", got)
	}
}

func TestParseRecovers(t *testing.T) {
	f := parse(t, "def f(:\n    x = jwt.decode(t, options={'verify_signature': False})\n")
	if !f.HasError {
		t.Fatal("broken source not flagged")
	}
	found := false
	f.Root.Walk(func(n *Node) bool {
		found = found || (n.Kind == "call" && n.Line == 2)
		return true
	})
	if !found {
		t.Fatal("recovered tree lost the call on line 2")
	}
}

func TestStringValues(t *testing.T) {
	f := parse(t, `a = ("ab" 'c\n')`+"\nb = r'\\d'\nc = f'{x}'\n")
	var got []string
	f.Root.Walk(func(n *Node) bool {
		if n.Kind == "assignment" {
			s, ok := n.ChildByField("right").Unparen().StringValue()
			if !ok {
				s = "<none>"
			}
			got = append(got, s)
		}
		return true
	})
	want := []string{"abc\n", `\d`, "<none>"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q want %q", got, want)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("import jwt\n@app.route('/x', methods=['GET'])\ndef x():\n    return jwt.decode(t, 'k')\n"))
	f.Add([]byte("def f(:\n\t'''\x00"))
	f.Add([]byte("(((((((((("))
	p, err := NewParser()
	if err != nil {
		f.Fatal(err)
	}
	defer p.Close()
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := p.Parse(context.Background(), "f.py", src)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		file.Root.Walk(func(nd *Node) bool {
			n++
			if nd.Start > nd.End || nd.End > len(src) {
				t.Fatalf("node %s range %d-%d outside %d bytes", nd.Kind, nd.Start, nd.End, len(src))
			}
			_, _ = nd.StringValue()
			_ = nd.Text()
			return true
		})
		if n == 0 {
			t.Fatal("empty tree")
		}
	})
}

// A node's first child is the next node of the preorder array
// (ChildByField reads it there), and ChildByField finds what a scan of the
// children by Field finds, for every field of the grammar and none.
func TestFirstChildFollows(t *testing.T) {
	f := parse(t, treeSrc+"y = {k: v for k, v in d.items() if k}\nlambda a, b=1: a[b:2]\n@x.y(z)\nclass D(B, metaclass=M): pass\n")
	checked := 0
	f.Root.Walk(func(n *Node) bool {
		kids := n.Children()
		if len(kids) > 0 && n.firstChild() != kids[0] {
			t.Fatalf("%s at %d: first child %s is not the next node", n.Kind, n.Start, kids[0].Kind)
		}
		for _, name := range append([]string{"", "nonesuch"}, fieldNames...) {
			var want *Node
			for _, c := range kids {
				if c.Field() == name {
					want = c
					break
				}
			}
			if got := n.ChildByField(name); got != want {
				t.Fatalf("%s at %d: ChildByField(%q) = %v, want %v", n.Kind, n.Start, name, got, want)
			}
			checked++
		}
		return true
	})
	if checked < 1000 {
		t.Fatalf("%d lookups checked", checked)
	}
}
