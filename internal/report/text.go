package report

import (
	"fmt"
	"io"
)

// WriteText renders the result for a person reading a terminal.
// Placeholder owned by the reports work; replaced by the full writer.
func WriteText(w io.Writer, r *Result, opt Options) error {
	for _, f := range r.Findings {
		fmt.Fprintf(w, "[%s] %s %s\n", f.Severity, f.Rule, f.Message)
	}
	fmt.Fprintf(w, "%d findings, %d requests\n", len(r.Findings), r.Stats.Requests)
	return nil
}
