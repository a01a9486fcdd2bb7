package fix

// lineMap maps lines of a patched file back to the unpatched file: a line
// outside every edit maps to its old line; a line an edit wrote maps to the
// first old line of that edit, with inEdit true.
type lineMap struct {
	spans []lineSpan
}

type lineSpan struct {
	oldFrom, oldN int // first old line replaced and how many
	newFrom, newN int // first new line written and how many
}

func newLineMap(src []byte, edits []Edit) lineMap {
	var m lineMap
	delta := 0
	for _, sp := range spansOf(src, edits) {
		from := lineOf(src, sp.oldFrom)
		oldN, newN := len(splitLines(string(src[sp.oldFrom:sp.oldTo]))), len(splitLines(sp.newText))
		m.spans = append(m.spans, lineSpan{oldFrom: from, oldN: oldN, newFrom: from + delta, newN: newN})
		delta += newN - oldN
	}
	return m
}

// old returns the unpatched line of a patched line, and whether the patch
// wrote it.
func (m lineMap) old(line int) (int, bool) {
	shift := 0
	for _, s := range m.spans {
		if line < s.newFrom {
			break
		}
		if line < s.newFrom+s.newN {
			return s.oldFrom, true
		}
		shift += s.newN - s.oldN
	}
	return line - shift, false
}

// touched returns the old lines the edits replace.
func touched(src []byte, edits []Edit) []int {
	var out []int
	for _, sp := range spansOf(src, edits) {
		from := lineOf(src, sp.oldFrom)
		n := len(splitLines(string(src[sp.oldFrom:sp.oldTo])))
		for l := from; l < from+n; l++ {
			out = append(out, l)
		}
	}
	return out
}

// spanStart returns, for an unpatched line inside an edited region, the
// region's first line (the key both sides of the static proof share); any
// other line is returned as it is.
func (m lineMap) spanStart(line int) int {
	for _, s := range m.spans {
		if line >= s.oldFrom && line < s.oldFrom+s.oldN {
			return s.oldFrom
		}
	}
	return line
}
