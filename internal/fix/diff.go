package fix

import (
	"fmt"
	"sort"
	"strings"
)

// context is the number of unchanged lines around each hunk, as diff -u.
const contextLines = 3

// Hunk is one changed region of a file in unified-diff form, with the
// findings its edits fix.
type Hunk struct {
	File     string   `json:"file"`
	OldStart int      `json:"old_start"`
	OldLines int      `json:"old_lines"`
	NewStart int      `json:"new_start"`
	NewLines int      `json:"new_lines"`
	Findings []string `json:"findings"`
	// Old and New are the replaced lines and their replacement, without
	// context (what a review suggestion or SARIF replacement needs).
	Old  string `json:"-"`
	New  string `json:"-"`
	Text string `json:"-"`
}

// span is an edited region widened to whole lines.
type span struct {
	oldFrom, oldTo int // byte offsets in the old file (line aligned)
	newText        string
	findings       []string
}

// spansOf widens sorted edits to whole lines, joins those sharing a line,
// and renders each region's new text.
func spansOf(src []byte, edits []Edit) []span {
	es := append([]Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool {
		return es[i].Start < es[j].Start || es[i].Start == es[j].Start && es[i].End < es[j].End
	})
	var spans []span
	var members [][]Edit
	for _, e := range es {
		from, to := lineStart(src, e.Start), e.End
		switch {
		case e.Start == e.End && e.Start == from && strings.HasSuffix(e.New, "\n"):
			// Whole lines inserted before a line: no old line changes.
		case to == 0 || src[to-1] != '\n' || to == e.Start:
			to = lineEnd(src, to)
		}
		if n := len(spans); n > 0 && (from < spans[n-1].oldTo || from == spans[n-1].oldFrom) {
			sp := &spans[n-1]
			sp.oldTo = max(sp.oldTo, to)
			sp.findings = appendUnique(sp.findings, e.Finding)
			members[n-1] = append(members[n-1], e)
			continue
		}
		spans = append(spans, span{oldFrom: from, oldTo: to, findings: []string{e.Finding}})
		members = append(members, []Edit{e})
	}
	for i := range spans {
		sp := &spans[i]
		in := make([]Edit, 0, len(members[i]))
		for _, e := range members[i] {
			in = append(in, Edit{Start: e.Start - sp.oldFrom, End: e.End - sp.oldFrom, New: e.New})
		}
		b, _ := apply(src[sp.oldFrom:sp.oldTo], in)
		sp.newText = string(b)
	}
	return spans
}

// hunks returns the file's hunks for the edits (sorted, non-overlapping),
// each naming the findings it fixes. Edits on the same or adjacent lines
// share a hunk; context lines are merged as diff -u does.
func hunks(file string, src []byte, edits []Edit) []Hunk {
	spans := spansOf(src, edits)
	oldLines := splitLines(string(src))
	type placed struct {
		sp       span
		first, n int // 0-based first old line and count
		newN     int
	}
	var groups [][]placed
	for _, sp := range spans {
		p := placed{sp: sp, first: lineOf(src, sp.oldFrom) - 1,
			n: len(splitLines(string(src[sp.oldFrom:sp.oldTo]))), newN: len(splitLines(sp.newText))}
		if g := len(groups); g > 0 {
			last := groups[g-1][len(groups[g-1])-1]
			if p.first-(last.first+last.n) <= 2*contextLines {
				groups[g-1] = append(groups[g-1], p)
				continue
			}
		}
		groups = append(groups, []placed{p})
	}
	var out []Hunk
	delta := 0
	for _, g := range groups {
		lo := max(0, g[0].first-contextLines)
		end := g[len(g)-1].first + g[len(g)-1].n
		hi := min(len(oldLines), end+contextLines)
		var b strings.Builder
		h := Hunk{File: file, OldStart: lo + 1, OldLines: hi - lo, NewStart: lo + 1 + delta}
		at := lo
		grow := 0
		for _, p := range g {
			for _, l := range oldLines[at:p.first] {
				emit(&b, " ", l)
			}
			for _, l := range oldLines[p.first : p.first+p.n] {
				emit(&b, "-", l)
			}
			for _, l := range splitLines(p.sp.newText) {
				emit(&b, "+", l)
			}
			at = p.first + p.n
			grow += p.newN - p.n
			h.Findings = appendUnique(h.Findings, p.sp.findings...)
		}
		for _, l := range oldLines[at:hi] {
			emit(&b, " ", l)
		}
		h.NewLines = h.OldLines + grow
		if len(g) == 1 {
			h.Old, h.New = string(src[g[0].sp.oldFrom:g[0].sp.oldTo]), g[0].sp.newText
		}
		h.Text = b.String()
		delta += grow
		out = append(out, h)
	}
	return out
}

// Unified renders one file's hunks as a unified diff (a/ and b/ prefixes,
// as git apply and patch -p1 expect), each hunk headed by the findings it
// fixes.
func Unified(file string, hs []Hunk, fixes map[string]string) string {
	if len(hs) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "--- a/%s\n+++ b/%s\n", file, file)
	for _, h := range hs {
		var names []string
		for _, f := range h.Findings {
			names = append(names, fixes[f])
		}
		fmt.Fprintf(&b, "@@ -%d,%d +%d,%d @@ fixes %s\n", h.OldStart, h.OldLines, h.NewStart, h.NewLines, strings.Join(names, ", "))
		b.WriteString(h.Text)
	}
	return b.String()
}

// splitLines splits s after each newline, keeping them.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	out := strings.SplitAfter(s, "\n")
	if out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

func appendUnique(xs []string, ys ...string) []string {
	for _, y := range ys {
		found := false
		for _, x := range xs {
			found = found || x == y
		}
		if !found {
			xs = append(xs, y)
		}
	}
	return xs
}

// emit writes one diff line; a last line without a newline gets diff's
// marker.
func emit(b *strings.Builder, prefix, line string) {
	b.WriteString(prefix + line)
	if !strings.HasSuffix(line, "\n") {
		b.WriteString("\n\\ No newline at end of file\n")
	}
}
