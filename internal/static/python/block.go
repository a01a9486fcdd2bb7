package python

import (
	"math/bits"
	"reflect"
	"sync"
	"unsafe"
)

// A file's nodes and child lists live in one block whose only pointer the
// collector scans is its first word, the file. The pointers inside the
// tree need no scanning: Parent and the child lists point into the block
// itself, Kind and Field into the grammar's constant tables outside the Go
// heap, and File at the file the first word keeps alive. A *Node anywhere
// keeps its block alive (an interior pointer), so the block keeps its file
// alive and the file its block (File.nodes): the tree lives exactly as
// long as before. The trees are most of the heap of a large analysis, and
// scanning them was most of each collection's work.
//
// Only the tree builder writes into a block, once, before anything else
// sees it.

// blockTypes are the block types by data size: struct{ F *File; D [n]byte }.
var blockTypes sync.Map

var fileType = reflect.TypeFor[*File]()

// nodeAlign is the cache line a node's start is aligned on.
const nodeAlign = 64

// blockSize rounds n up to a multiple of a sixteenth of its power of two:
// sixteen block types per doubling, at most a sixteenth of a block unused.
func blockSize(n int) int {
	if n <= 64 {
		return 64
	}
	shift := bits.Len(uint(n)) - 5
	step := 1 << shift
	return (n + step - 1) &^ (step - 1)
}

// newTreeBlock returns zeroed room for nnodes nodes, nkids child pointers
// and nindex pointers of the kind index, in one block that keeps f alive.
func newTreeBlock(f *File, nnodes, nkids, nindex int) (nodes []Node, kids, index []*Node) {
	const ptr = int(unsafe.Sizeof((*Node)(nil)))
	nodeBytes := nnodes * int(unsafe.Sizeof(Node{}))
	// The nodes start on a cache line (nodeAlign), so that a node, the
	// size of one line, is read in one.
	size := blockSize(nodeAlign + nodeBytes + (nkids+nindex)*ptr)
	t, ok := blockTypes.Load(size)
	if !ok {
		t, _ = blockTypes.LoadOrStore(size, reflect.StructOf([]reflect.StructField{
			{Name: "F", Type: fileType},
			{Name: "D", Type: reflect.ArrayOf(size, reflect.TypeFor[byte]())},
		}))
	}
	p := reflect.New(t.(reflect.Type)).UnsafePointer()
	*(**File)(p) = f
	data := unsafe.Add(p, unsafe.Sizeof(f))
	if off := uintptr(data) % nodeAlign; off != 0 {
		data = unsafe.Add(data, nodeAlign-off)
	}
	nodes = unsafe.Slice((*Node)(data), nnodes)
	if nkids+nindex > 0 {
		ptrs := unsafe.Slice((**Node)(unsafe.Add(data, nodeBytes)), nkids+nindex)
		kids, index = ptrs[:nkids:nkids], ptrs[nkids:]
	}
	return nodes, kids, index
}
