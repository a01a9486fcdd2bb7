package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/authprobe/authprobe/internal/fix"
	"github.com/authprobe/authprobe/internal/labtest"
)

// TestFixReviewRecipe runs the review-suggestion workflow of docs/fix.md on
// a copy of the xtoken lab's source: its shell steps with authprobe on
// PATH and a stand-in gh that keeps the review it is given. The review
// must carry one suggestion per proven replacement, on the lines it
// replaces, with the new lines.
func TestFixReviewRecipe(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the binary and runs the workflow (make test does)")
	}
	root, err := labtest.Root()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(filepath.Dir(root), "docs", "fix.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- recipe: review-suggestions -->\n```yaml\n(.*?)\n```\n").FindStringSubmatch(string(data))
	if m == nil {
		t.Fatal("docs/fix.md has no review-suggestions recipe")
	}
	var wf workflow
	if err := yaml.Unmarshal([]byte(m[1]), &wf); err != nil {
		t.Fatalf("workflow: %v", err)
	}
	bin := buildBinary(t)
	kept := filepath.Join(t.TempDir(), "review.json")
	gh := "#!/bin/sh\n# stand-in for the GitHub CLI: keep the review\nwhile [ $# -gt 0 ]; do [ \"$1\" = --input ] && cp \"$2\" " + kept + "; shift; done\n"
	if err := os.WriteFile(filepath.Join(filepath.Dir(bin), "gh"), []byte(gh), 0o755); err != nil {
		t.Fatal(err)
	}
	ws, err := fix.Copy(filepath.Join(root, "xtoken"), t.TempDir(), "repo")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"github.token": "t", "github.repository": "o/r", "github.event.pull_request.number": "7", "github.event.pull_request.head.sha": "abc"}
	runJob(t, wf.Jobs["fix"].Steps, ws, bin, vars, 0)

	var review struct {
		CommitID string `json:"commit_id"`
		Body     string
		Comments []struct {
			Path, Side, Body string
			Line             int
			StartLine        int `json:"start_line"`
		}
	}
	raw, err := os.ReadFile(kept)
	if err != nil {
		t.Fatalf("the recipe posted no review: %v", err)
	}
	if err := json.Unmarshal(raw, &review); err != nil {
		t.Fatal(err)
	}
	var doc fix.Doc
	fj, _ := os.ReadFile(filepath.Join(ws, "fix.json"))
	if err := json.Unmarshal(fj, &doc); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, f := range doc.Findings {
		for _, r := range f.Replacements {
			if f.Proven && r.EndLine >= r.StartLine {
				want++
			}
		}
	}
	if want == 0 || len(review.Comments) != want {
		t.Fatalf("%d suggestions, want %d (one per proven replacement)", len(review.Comments), want)
	}
	src, _ := os.ReadFile(filepath.Join(ws, "app.py"))
	lines := strings.Split(string(src), "\n")
	for _, c := range review.Comments {
		if c.Path != "app.py" || c.Line < 1 || c.Line > len(lines) || !strings.Contains(c.Body, "```suggestion\n") {
			t.Errorf("suggestion %+v", c)
		}
	}
	if review.CommitID != "abc" || !strings.Contains(review.Body, "### Suggested fixes") {
		t.Errorf("review body or commit: %q %q", review.CommitID, review.Body[:min(80, len(review.Body))])
	}
}
