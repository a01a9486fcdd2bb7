//go:build cgo

package python

/*
#include "ap.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"unsafe"

	ts "github.com/tree-sitter/go-tree-sitter"
	tspython "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// allocatorOnce points the C library's allocator at arena.c's: by default
// every allocation of the parser detours through Go callbacks, which costs a
// third of the parse time; while a file is parsed the thread's arena serves
// them, elsewhere libc. Process-wide by nature, so done once.
var allocatorOnce sync.Once

// fieldsOnce sets fieldNames (node.go) from the first parser's grammar.
var fieldsOnce sync.Once

// maxFileSize bounds what one file may cost; larger files are skipped with a
// warning by the caller.
const maxFileSize = 8 << 20

// Parser parses Python files; it is not safe for concurrent use: give each
// goroutine its own and Close it.
type Parser struct {
	lang   *C.TSLanguage
	arena  *C.ap_arena
	kinds  []string
	fields []string
	skip   []C.uint8_t
	// slot is, per grammar symbol, its place in indexedKinds or -1.
	slot []int8
	// buf is the flat node buffer, reused from file to file.
	buf []C.ap_node
}

// NewParser returns a parser for Python 3.
func NewParser() (*Parser, error) {
	allocatorOnce.Do(func() { C.ap_use_arena_allocator() })
	raw := tspython.Language()
	lang := ts.NewLanguage(raw)
	if v := lang.AbiVersion(); v < ts.MIN_COMPATIBLE_LANGUAGE_VERSION || v > ts.LANGUAGE_VERSION {
		return nil, fmt.Errorf("python grammar: ABI version %d, the parser reads %d to %d", v, ts.MIN_COMPATIBLE_LANGUAGE_VERSION, ts.LANGUAGE_VERSION)
	}
	clang := (*C.TSLanguage)(raw)
	ps := &Parser{lang: clang, arena: C.ap_arena_new()}
	n := lang.NodeKindCount()
	ps.kinds = make([]string, n+1)
	ps.skip = make([]C.uint8_t, n+1)
	ps.slot = make([]int8, n+1)
	for i := uint32(0); i <= n; i++ {
		ps.kinds[i] = staticString(C.ts_language_symbol_name(clang, C.uint16_t(i)))
		ps.slot[i] = int8(slices.Index(indexedKinds[:], ps.kinds[i]))
		switch {
		case !lang.NodeKindIsNamed(uint16(i)) && !keptTokens[ps.kinds[i]]:
			ps.skip[i] = 1
		case ps.kinds[i] == "string_start" || ps.kinds[i] == "string_end":
			ps.skip[i] = 2
		case ps.kinds[i] == "string_content":
			ps.skip[i] = 3
		case ps.kinds[i] == "string":
			ps.skip[i] = 4
		}
	}
	nf := lang.FieldCount()
	if nf > fieldMask {
		return nil, fmt.Errorf("python grammar: %d fields, the tree holds at most %d", nf, fieldMask)
	}
	ps.fields = make([]string, nf+1)
	for i := uint32(1); i <= nf; i++ {
		ps.fields[i] = staticString(C.ts_language_field_name_for_id(clang, C.uint16_t(i)))
	}
	fieldsOnce.Do(func() { fieldNames = ps.fields })
	return ps, nil
}

// staticString is a Go string over one of the grammar's names, which live
// in the grammar's constant tables for the life of the process: the two
// million Kind and Field strings of a large project point outside the Go
// heap, so the collector has nothing to mark for them.
func staticString(s *C.char) string {
	if s == nil {
		return ""
	}
	return unsafe.String((*byte)(unsafe.Pointer(s)), int(C.strlen(s)))
}

// Close frees the parser.
func (ps *Parser) Close() {
	if ps != nil && ps.arena != nil {
		C.ap_arena_free(ps.arena)
		ps.arena = nil
	}
}

// Parse parses src; a file with syntax errors still yields the recovered
// tree with HasError set.
func (ps *Parser) Parse(ctx context.Context, path string, src []byte) (*File, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(src) > maxFileSize {
		return nil, fmt.Errorf("%s: %d bytes, larger than the %d-byte limit", path, len(src), maxFileSize)
	}
	// The binding keeps the C parser in its only field. Parsing the
	// string directly spares the binding's read callback, which copies
	// the source into C memory; the flattening walk runs in C in one call
	// instead of several cgo calls per node.
	var text *C.char
	if len(src) > 0 {
		text = (*C.char)(unsafe.Pointer(&src[0]))
	}
	// The tree and its parser live in the arena, dropped whole once the
	// tree is flattened.
	defer C.ap_arena_reset(ps.arena)
	raw := C.ap_parse(ps.arena, ps.lang, text, C.uint32_t(len(src)))
	if raw == nil {
		return nil, fmt.Errorf("%s: parser returned no tree", path)
	}
	capacity := int(C.ap_capacity(raw))
	if cap(ps.buf) < capacity {
		ps.buf = make([]C.ap_node, capacity)
	}
	buf := ps.buf[:capacity]
	n := int(C.ap_flatten(raw, &buf[0], C.int(len(buf)), &ps.skip[0], C.int(len(ps.skip))))
	if n < 0 {
		return nil, errors.New(path + ": tree larger than its descendant count")
	}
	f := &File{Path: path, Src: src, HasError: C.ap_has_error(raw) != 0}
	// The flat copy holds all the Go tree needs: tree-sitter's tree goes
	// before the Go tree is built, so the two are never held at once (a
	// large file's tree-sitter tree is several times its Go tree).
	C.ap_arena_reset(ps.arena)
	if f.Root = ps.build(f, buf[:n]); f.Root == nil {
		return nil, fmt.Errorf("%s: a node with more than %d children", path, countMask)
	}
	return f, nil
}

func (ps *Parser) build(f *File, flat []C.ap_node) *Node {
	// Child lists are laid out in preorder of their parents: count each
	// node's children first, then turn counts into offsets. The kind
	// index (File.OfKind) is counted too, so that it takes one run.
	var perSlot [len(indexedKinds)]int32
	indexedNodes := 0
	for i := range flat {
		fl := &flat[i]
		if fl.named != 0 && int(fl.kind) < len(ps.slot) {
			if s := ps.slot[fl.kind]; s >= 0 {
				perSlot[s]++
				indexedNodes++
			}
		}
	}
	// Every node but the root is a child once; the nodes, the child lists
	// and the kind index live in a block the collector does not scan
	// (block.go).
	nodes, kids, index := newTreeBlock(f, len(flat), max(0, len(flat)-1), indexedNodes)
	f.nodes, f.kids = nodes, kids
	var bySlot [len(indexedKinds)][]*Node
	kinds := 0
	for s, n := range perSlot {
		if n > 0 {
			bySlot[s], index = index[:0:n], index[n:]
			kinds++
		}
	}
	for i := range flat {
		if p := flat[i].parent; p >= 0 {
			nodes[p].meta++
		}
	}
	var off int32
	for i := range nodes {
		if nodes[i].meta > countMask {
			return nil // the count would spill into the field bits
		}
		nodes[i].kid0, off = off, off+int32(nodes[i].meta)
		nodes[i].meta = 0 // counted again as the children are placed
	}
	for i := range flat {
		fl := &flat[i]
		nd := &nodes[i]
		nd.Kind = ps.name(ps.kinds, int(fl.kind))
		if int(fl.field) < len(ps.fields) {
			nd.meta |= uint32(fl.field) << fieldShift
		}
		nd.Start, nd.End = int(fl.start), int(fl.end)
		nd.Line = int(fl.row) + 1
		if fl.named != 0 {
			nd.meta |= flagNamed
		}
		if fl.missing != 0 {
			nd.meta |= flagMissing
		}
		nd.File = f
		if p := fl.parent; p >= 0 {
			pn := &nodes[p]
			nd.Parent = pn
			kids[pn.kid0+int32(pn.meta&countMask)] = nd
			pn.meta++
		}
		if fl.named != 0 && int(fl.kind) < len(ps.slot) {
			if s := ps.slot[fl.kind]; s >= 0 {
				bySlot[s] = append(bySlot[s], nd) // within the room counted
			}
		}
	}
	f.byKind = make(map[string][]*Node, kinds)
	for s, l := range bySlot {
		if len(l) > 0 {
			f.byKind[indexedKinds[s]] = l
			// Checked once here rather than at each Visit.
			f.unsorted = f.unsorted || !slices.IsSortedFunc(l, func(a, b *Node) int { return a.Start - b.Start })
		}
	}
	return &nodes[0]
}

// keptTokens are the anonymous tokens the model reads: operators.
var keptTokens = map[string]bool{"==": true, "!=": true, "<": true, ">": true, "<=": true, ">=": true,
	"in": true, "not in": true, "is": true, "is not": true, "+": true, "-": true, "*": true, "/": true,
	"%": true, "**": true, "and": true, "or": true, "+=": true}

// indexedKinds are the kinds File.OfKind serves.
var indexedKinds = [...]string{"call", "assignment", "decorated_definition", "function_definition",
	"class_definition", "string", "subscript", "comparison_operator", "if_statement",
	"import_from_statement", "import_statement", "dictionary", "for_statement"}

func (ps *Parser) name(table []string, id int) string {
	if id >= 0 && id < len(table) {
		return table[id]
	}
	return ""
}

// arenaSize is what the parser's arena holds between files, or with high
// the most it held while parsing (tests).
func (ps *Parser) arenaSize(high bool) int { return int(C.ap_arena_size(ps.arena, C.bool(high))) }

// libcInUse is what libc's malloc holds allocated, or -1 (tests).
func libcInUse() int64 { return int64(C.ap_libc_in_use()) }
