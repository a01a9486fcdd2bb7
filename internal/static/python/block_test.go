//go:build cgo

package python

import (
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// scannable is the heap the collector scans at each cycle.
func scannable() uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/scan/heap:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// The trees are heap the collector does not scan: holding a large one
// adds to the scannable heap only what is not the tree (the source, the
// kind index), a small part of the nodes' size.
func TestTreesAreNotScanned(t *testing.T) {
	src := strings.Repeat("@bp.route(\"/a/<int:i>\")\ndef v(i):\n    return jsonify({\"k\": [i, 'x']}) if i > 2 else abort(401)\n\n", 20_000)
	before := scannable()
	f := parse(t, src)
	after := scannable()
	size := uint64(len(f.nodes))*uint64(unsafe.Sizeof(Node{})) + uint64(len(f.kids))*8
	if size < 20<<20 {
		t.Fatalf("tree of %d bytes: too small to tell", size)
	}
	if grew := after - min(after, before); grew > size/4 {
		t.Fatalf("holding a tree of %d bytes made %d bytes more heap to scan", size, grew)
	}
	runtime.KeepAlive(f)
}

// A node held alone keeps its tree and its file: with the file dropped
// and the heap collected and reused, the node still reads its file, its
// parent and its text.
func TestNodeKeepsTreeAndFile(t *testing.T) {
	f := parse(t, strings.Repeat("x = call(a, 'b')\n", 5000)+"last = value.attr\n")
	n := f.OfKind("assignment")[5000].ChildByField("right")
	f = nil
	for range 3 {
		runtime.GC()
		junk := make([][]byte, 0, 1000)
		for range 1000 {
			junk = append(junk, make([]byte, 4096))
		}
		runtime.KeepAlive(junk)
	}
	if n.Text() != "value.attr" || n.Parent.Kind != "assignment" || n.File.Path != "x.py" || n.Line != 5001 {
		t.Fatalf("node after collection: %q in %s at %s:%d", n.Text(), n.Parent.Kind, n.File.Path, n.Line)
	}
	if got := n.File.Root.Children()[0].Text(); got != "x = call(a, 'b')" {
		t.Fatalf("first statement %q", got)
	}
}

// The kind index, laid out in the block, is every named node of each
// indexed kind in preorder, and full: appending to it copies.
func TestKindIndex(t *testing.T) {
	f := parse(t, treeSrc+strings.Repeat("d = {'k': f(x)[0] == 'v'}\nfor a in b:\n    import c\n", 50))
	total := 0
	for _, kind := range indexedKinds {
		var want []*Node
		f.Root.Walk(func(n *Node) bool {
			if n.Named() && n.Kind == kind {
				want = append(want, n)
			}
			return true
		})
		got := f.OfKind(kind)
		if !slices.Equal(got, want) || cap(got) != len(got) {
			t.Fatalf("%s: %d nodes (cap %d), want %d", kind, len(got), cap(got), len(want))
		}
		total += len(got)
	}
	if total < 400 || len(f.OfKind("attribute")) != 0 {
		t.Fatalf("%d indexed nodes, %d attributes", total, len(f.OfKind("attribute")))
	}
}

// Every node starts on a cache line and fits in it, in trees of every
// block size (a small file's block and a large one's).
func TestNodesOnCacheLines(t *testing.T) {
	if unsafe.Sizeof(Node{}) != nodeAlign {
		t.Fatalf("a node is %d bytes, a line %d", unsafe.Sizeof(Node{}), nodeAlign)
	}
	for _, reps := range []int{1, 3, 40, 2000} {
		f := parse(t, strings.Repeat("x = call(a, 'b') + y.z\n", reps))
		if p := uintptr(unsafe.Pointer(&f.nodes[0])); p%nodeAlign != 0 {
			t.Fatalf("%d statements: nodes start at %#x, %d bytes into a line", reps, p, p%nodeAlign)
		}
		if got := f.Root.Children()[reps-1].Text(); got != "x = call(a, 'b') + y.z" {
			t.Fatalf("%d statements: last statement %q", reps, got)
		}
	}
}
