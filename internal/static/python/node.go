// Package python is authprobe's small Python front end: it parses source with
// tree-sitter (when built with cgo) into a plain Go tree of Nodes, so that the
// Flask model and the rules never touch the parser binding.
package python

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"unsafe"
)

// ErrNoCgo is returned by NewParser in builds without cgo.
var ErrNoCgo = errors.New("source analysis needs cgo: rebuild authprobe with CGO_ENABLED=1 and a C compiler (gcc)")

// File is one parsed Python source file.
type File struct {
	// Path is the file's path relative to the analysed directory, with
	// forward slashes.
	Path string
	Src  []byte
	Root *Node
	// HasError is true when the parser had to recover from a syntax error;
	// the tree still holds what it recovered.
	HasError  bool
	lineStart []int
	lineOnce  sync.Once // lineStart is built on first use (Line, Col)
	byKind    map[string][]*Node
	// unsorted is set when a kind's list of byKind is not in source order
	// (never seen: preorder is): Visit then sorts instead of merging.
	unsorted bool
	// nodes holds every node of the tree in preorder (a subtree is a
	// contiguous run) and kids every child list, back to back: two
	// allocations per file instead of one per node.
	nodes []Node
	kids  []*Node
	// Scopes caches, per function node, what the model derives from its
	// body (assignments by name); filled lazily by the Flask model, which
	// runs on one goroutine.
	Scopes map[*Node]map[string][]*Node
}

// OfKind returns the file's nodes of one kind in source order (an index
// built once at parse time, cheaper than walking the tree per rule).
func (f *File) OfKind(kind string) []*Node {
	return f.byKind[kind]
}

// Node is one node of the syntax tree; Kind and Field are tree-sitter's
// python grammar names ("call", "function_definition"; "arguments").
// Nodes live in their file's preorder array; the fields below the exported
// ones are packed (a 250k-line project holds about two million nodes).
type Node struct {
	Kind   string
	Start  int
	End    int
	Line   int // 1-based
	Parent *Node
	File   *File
	// kid0 is where the node's children start in File.kids; meta holds
	// their count, the node's field (Field) and the named and missing
	// flags: a node is 64 bytes.
	kid0 int32
	meta uint32
}

const (
	flagNamed   = 1 << 31
	flagMissing = 1 << 30
	fieldShift  = 23
	fieldMask   = 1<<(30-fieldShift) - 1 // 127 field ids
	countMask   = 1<<fieldShift - 1      // 8M children
)

// fieldNames are the grammar's field names by id (0: none), set once by
// the first parser; every parser reads the same grammar.
var fieldNames []string

// Field is the node's field in its parent ("function", "arguments"), or
// "".
func (n *Node) Field() string {
	if id := int(n.meta >> fieldShift & fieldMask); id < len(fieldNames) {
		return fieldNames[id]
	}
	return ""
}

// Col is the 0-based byte column of the node's start.
func (n *Node) Col() int {
	n.File.indexLines()
	if n.Line < 1 || n.Line > len(n.File.lineStart) {
		return 0
	}
	return n.Start - n.File.lineStart[n.Line-1]
}

// Named reports whether the node is a named node of the grammar (not an
// operator token).
func (n *Node) Named() bool { return n.meta&flagNamed != 0 }

// Missing reports whether the parser inserted the node to recover from a
// syntax error.
func (n *Node) Missing() bool { return n.meta&flagMissing != 0 }

// Children are the node's children in source order: named nodes and the
// operator tokens (punctuation and keywords are left out).
func (n *Node) Children() []*Node {
	if n == nil || n.meta&countMask == 0 {
		return nil
	}
	hi := n.kid0 + int32(n.meta&countMask)
	return n.File.kids[n.kid0:hi:hi]
}

// index is the node's position in its file's preorder array.
func (n *Node) index() int {
	return int((uintptr(unsafe.Pointer(n)) - uintptr(unsafe.Pointer(&n.File.nodes[0]))) / unsafe.Sizeof(Node{}))
}

// subtreeEnd is the index in the preorder array just past n's subtree:
// one past its last descendant.
func (n *Node) subtreeEnd() int {
	for {
		kids := n.Children()
		if len(kids) == 0 {
			return n.index() + 1
		}
		n = kids[len(kids)-1]
	}
}

// Lines is the number of lines of the file.
func (f *File) Lines() int {
	n := bytes.Count(f.Src, []byte{'\n'}) + 1 // lines as Line numbers them
	if len(f.Src) > 0 && f.Src[len(f.Src)-1] == '\n' {
		return n - 1
	}
	return n
}

func (f *File) indexLines() {
	f.lineOnce.Do(func() {
		f.lineStart = []int{0}
		for i, b := range f.Src {
			if b == '\n' {
				f.lineStart = append(f.lineStart, i+1)
			}
		}
	})
}

// Line returns the text of a 1-based line without its newline.
func (f *File) Line(n int) string {
	f.indexLines()
	if n < 1 || n > len(f.lineStart) {
		return ""
	}
	start := f.lineStart[n-1]
	end := len(f.Src)
	if n < len(f.lineStart) {
		end = f.lineStart[n] - 1
	}
	if end < start {
		end = start
	}
	return strings.TrimRight(string(f.Src[start:end]), "\r")
}

// Text is the node's source text.
func (n *Node) Text() string {
	if n == nil || n.File == nil || n.Start > n.End || n.End > len(n.File.Src) {
		return ""
	}
	if n.Start == n.End {
		return ""
	}
	// The source is never written after parsing: the text shares its bytes.
	return unsafe.String(&n.File.Src[n.Start], n.End-n.Start)
}

// ChildByField returns the first child in the named field.
//
// The field asked for is most often the first child (a call's function,
// an attribute's object, an assignment's left side), and a node's first
// child is the next node of its file's preorder array: it is read there,
// beside the node, without the child list (elsewhere in memory).
func (n *Node) ChildByField(name string) *Node {
	if n == nil {
		return nil
	}
	count := n.meta & countMask
	if count == 0 {
		return nil
	}
	// While the children are leaves, each one's next sibling is the next
	// node too (a call's identifier and its arguments, an attribute's
	// object and its name, an assignment's name and its value): the list
	// is read only past a child with children of its own.
	c, i := n.firstChild(), uint32(0)
	for {
		if c.hasField(name) {
			return c
		}
		if i++; i == count {
			return nil
		}
		if c.meta&countMask != 0 {
			break
		}
		c = c.next()
	}
	for _, c := range n.Children()[i:] {
		if c.hasField(name) {
			return c
		}
	}
	return nil
}

// next is the node after n in its file's preorder array: n's first child,
// or when n is a leaf its next sibling (if it has one).
func (n *Node) next() *Node {
	return (*Node)(unsafe.Add(unsafe.Pointer(n), unsafe.Sizeof(Node{})))
}

// firstChild is the first child of a node that has children: the next
// node of the file's preorder array (Parser.build places a node's
// children after it, the first right after: TestFirstChildFollows).
func (n *Node) firstChild() *Node {
	return n.next()
}

// hasField reports whether n is its parent's child in the named field.
func (n *Node) hasField(name string) bool {
	id := int(n.meta >> fieldShift & fieldMask)
	return id < len(fieldNames) && fieldNames[id] == name
}

// NamedChildren returns the named children (no punctuation or keywords).
// The result may share the tree's storage: read it, never write to it.
func (n *Node) NamedChildren() []*Node {
	if n == nil {
		return nil
	}
	kids := n.Children()
	all := true
	for _, c := range kids {
		if !c.Named() || c.Kind == "comment" {
			all = false
			break
		}
	}
	if all {
		return kids // capacity-limited: an append copies
	}
	out := make([]*Node, 0, len(kids))
	for _, c := range kids {
		if c.Named() && c.Kind != "comment" {
			out = append(out, c)
		}
	}
	return out
}

// HasChildKind reports whether an anonymous or named child has kind k (an
// operator such as "==" or "not in" shows as anonymous children).
func (n *Node) HasChildKind(k string) bool {
	for _, c := range n.Children() {
		if c.Kind == k {
			return true
		}
	}
	return false
}

// Ancestor returns the nearest ancestor of one of the kinds, or nil.
func (n *Node) Ancestor(kinds ...string) *Node {
	for p := n.Parent; p != nil; p = p.Parent {
		for _, k := range kinds {
			if p.Kind == k {
				return p
			}
		}
	}
	return nil
}

// Contains reports whether m lies inside n (in the same file: offsets of
// two files say nothing about each other).
func (n *Node) Contains(m *Node) bool {
	return n != nil && m != nil && m.File == n.File && m.Start >= n.Start && m.End <= n.End
}
