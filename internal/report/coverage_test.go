package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

func coverageResult(jwtTested int) *Result {
	r := New("http://127.0.0.1:5000", "0.1.0")
	ep := &finding.Endpoint{Method: "GET", Path: "/api/me"}
	r.Coverage = []Coverage{
		{Family: "jwt", Tested: jwtTested, Skipped: []Skip{{Endpoint: ep, Reason: "no usable JWT"}}},
		{Family: "all", Tested: 1, Skipped: []Skip{{Endpoint: &finding.Endpoint{Method: "GET", Path: "/createdb"}, Reason: "side effect"}}},
	}
	return r
}

// TestCoverageInEveryFormat: the coverage section is in text, JSON, HTML and
// Markdown, and a core family that could not run replaces the grade with
// "incomplete".
func TestCoverageInEveryFormat(t *testing.T) {
	t.Parallel()
	r := coverageResult(0)
	if got := Ungraded(r); len(got) != 1 || !strings.HasPrefix(got[0], "jwt: no usable JWT on 1 endpoint") {
		t.Fatalf("Ungraded = %q", got)
	}
	var text, md, html, js bytes.Buffer
	if err := WriteText(&text, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(&html, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name, out string
		want      []string
		not       string
	}{
		{"text", text.String(), []string{"score incomplete, not graded: jwt", "Coverage", "GET /createdb: side effect"}, "grade A"},
		{"markdown", md.String(), []string{"incomplete, not graded", "**Coverage**", "| jwt | 0 |"}, "grade A"},
		{"html", html.String(), []string{"Incomplete: not graded", "<h2>Coverage</h2>", "GET /createdb: side effect"}, `class="grade g-A"`},
		{"json", js.String(), []string{`"coverage"`, `"reason": "no usable JWT"`}, ""},
	}
	for _, c := range checks {
		for _, w := range c.want {
			if !strings.Contains(c.out, w) {
				t.Errorf("%s lacks %q:\n%s", c.name, w, c.out)
			}
		}
		if c.not != "" && strings.Contains(c.out, c.not) {
			t.Errorf("%s shows %q although not graded", c.name, c.not)
		}
	}
	graded := coverageResult(1)
	if len(Ungraded(graded)) != 0 {
		t.Fatal("a family that ran somewhere must not block the grade")
	}
	text.Reset()
	_ = WriteText(&text, graded, Options{})
	if !strings.Contains(text.String(), "100/100 (grade A)") {
		t.Errorf("graded result lacks its grade:\n%s", text.String())
	}
}
