package fix

import (
	"bytes"
	"fmt"
	"sort"
)

// Edit replaces the bytes [Start, End) of one file with New. Edits come from
// nodes of the parsed tree, so each one lands on a whole expression,
// argument, statement or line.
type Edit struct {
	File  string
	Start int
	End   int
	New   string
	// Finding is the fingerprint of the finding the edit fixes.
	Finding string
	// stack marks an insertion whose order next to another stacking
	// insertion at the same point does not matter (entries of a mapping,
	// import statements).
	stack bool
}

// overlaps reports whether two edits of one file touch the same bytes (two
// insertions at one point count as overlapping: their order would be a guess).
func (e Edit) overlaps(o Edit) bool {
	if e.File != o.File {
		return false
	}
	if e.Start == e.End && o.Start == o.End {
		return e.Start == o.Start
	}
	return e.Start < o.End && o.Start < e.End
}

// apply returns src with the edits made; edits must not overlap.
func apply(src []byte, edits []Edit) ([]byte, error) {
	es := append([]Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool {
		return es[i].Start < es[j].Start || es[i].Start == es[j].Start && es[i].End < es[j].End
	})
	var out bytes.Buffer
	at := 0
	for _, e := range es {
		if e.Start < at || e.End > len(src) || e.Start > e.End {
			return nil, fmt.Errorf("%s: edit at byte %d overlaps another or lies outside the file", e.File, e.Start)
		}
		out.Write(src[at:e.Start])
		out.WriteString(e.New)
		at = e.End
	}
	out.Write(src[at:])
	return out.Bytes(), nil
}

// lineStart returns the offset where the line holding offset i starts.
func lineStart(src []byte, i int) int {
	return bytes.LastIndexByte(src[:i], '\n') + 1
}

// lineEnd returns the offset just past the newline ending the line that
// holds offset i (len(src) on the last line without one).
func lineEnd(src []byte, i int) int {
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(src)
}

// indentOf returns the leading blanks of the line holding offset i.
func indentOf(src []byte, i int) string {
	s := lineStart(src, i)
	e := s
	for e < len(src) && (src[e] == ' ' || src[e] == '\t') {
		e++
	}
	return string(src[s:e])
}

// lineOf returns the 1-based line of offset i.
func lineOf(src []byte, i int) int {
	return bytes.Count(src[:i], []byte{'\n'}) + 1
}

// insertAfter returns the edit adding whole lines after the line holding
// offset end-1 (a statement's last line); at the end of a file without a
// final newline it adds one first.
func insertAfter(src []byte, end int, lines string) Edit {
	at := lineEnd(src, end-1)
	if at == len(src) && (at == 0 || src[at-1] != '\n') {
		lines = "\n" + lines
	}
	return Edit{Start: at, End: at, New: lines}
}
