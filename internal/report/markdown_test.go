package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

// TestMarkdownSelfContained: a comment with more findings than the top
// list carries the rest in a collapsed section, and every warning; it
// points at no other report.
func TestMarkdownSelfContained(t *testing.T) {
	t.Parallel()
	r := New("http://127.0.0.1:5000", "test")
	for i := range topFindings + 3 {
		r.Findings = append(r.Findings, finding.Finding{Rule: fmt.Sprintf("custom.rule-%02d", i), Title: "a finding", Severity: finding.High})
	}
	r.Warnings = []string{"first warning", "second warning"}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, f := range r.Findings {
		if !strings.Contains(md, f.Rule) {
			t.Errorf("%s is missing from the comment", f.Rule)
		}
	}
	for _, w := range r.Warnings {
		if !strings.Contains(md, w) {
			t.Errorf("warning %q is missing", w)
		}
	}
	if !strings.Contains(md, "<details><summary>…and 3 more</summary>") {
		t.Errorf("the findings past the top %d are not in a collapsed section:\n%s", topFindings, md)
	}
	if strings.Contains(md, "full report") {
		t.Errorf("the comment points at a full report:\n%s", md)
	}
}
