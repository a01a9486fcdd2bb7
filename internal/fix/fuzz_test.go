package fix

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/python"
)

// FuzzFix: for any source, rule and line, Make never panics, and a patch of
// a file that parsed cleanly parses cleanly too (a fix never writes a
// syntax error).
func FuzzFix(f *testing.F) {
	for _, c := range append(append([]fixerCase(nil), jwtCases...), appCases...) {
		line := 0
		for i, l := range strings.Split(c.src, "\n") {
			if strings.Contains(l, "# <-") {
				line = i + 1
			}
		}
		f.Add(strings.ReplaceAll(c.src, "  # <-", ""), c.rule, line)
	}
	rules := slices.Sorted(func(yield func(string) bool) {
		for r := range fixers {
			if !yield(r) {
				return
			}
		}
	})
	f.Fuzz(func(t *testing.T, src, rule string, line int) {
		if !slices.Contains(rules, rule) {
			rule = rules[len(rule)%len(rules)]
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		fd := finding.Finding{Rule: rule, Source: "both", Location: &finding.Location{File: "app.py", Line: line}}
		fd.ComputeFingerprint()
		pl, err := Make(context.Background(), dir, []finding.Finding{fd})
		if err != nil {
			return // unreadable input is an error, not a crash
		}
		out, ok := pl.New["app.py"]
		if !ok {
			return
		}
		ps, err := python.NewParser()
		if err != nil {
			t.Fatal(err)
		}
		defer ps.Close()
		before, _ := ps.Parse(context.Background(), "app.py", []byte(src))
		after, err := ps.Parse(context.Background(), "app.py", out)
		if err != nil {
			t.Fatal(err)
		}
		if before != nil && !before.HasError && after.HasError {
			t.Errorf("%s at line %d: the patch does not parse:\n%s\n-- from --\n%s", rule, line, out, src)
		}
	})
}
