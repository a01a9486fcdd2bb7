package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// writeTextMatrix prints the auth matrix as an aligned table: one row per
// endpoint, one column per principal, ✓ accepted, ✗ rejected, ? inconclusive
// and · not tested; a "!" marks a cell that has a finding.
func writeTextMatrix(ew *errWriter, v *view, p painter) {
	if len(v.endpoints) == 0 {
		return
	}
	ew.printf("\n%s\n", p.heading(fmt.Sprintf("Auth matrix (%d endpoints)", len(v.endpoints))))
	header := []string{"METHOD", "PATH", "POLICY"}
	for _, pr := range v.principals {
		header = append(header, oneLine(pr))
	}
	rows := [][]string{header}
	for _, e := range v.endpoints {
		row := []string{oneLine(e.Method), oneLine(e.Path), oneLine(orDash(e.Policy))}
		for _, pr := range v.principals {
			sym := verdictSymbol(e.Matrix[pr])
			if len(v.flagged[cellKey(e.Method, e.Path, pr)]) > 0 {
				sym += "!"
			}
			row = append(row, sym)
		}
		rows = append(rows, row)
	}
	widths := make([]int, len(header))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for ri, row := range rows {
		var b strings.Builder
		b.WriteString("  ")
		for i, c := range row {
			cell := c + strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i == len(row)-1 {
				cell = c
			}
			switch {
			case ri == 0:
				cell = p.dim(cell)
			case i >= 3:
				cell = p.verdict(v.endpoints[ri-1].Matrix[v.principals[i-3]], cell)
			}
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString("  ")
			}
		}
		ew.printf("%s\n", b.String())
	}
	ew.printf("  %s\n", p.dim("✓ accepted  ✗ rejected  ? inconclusive  · not tested  ! has a finding"))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
