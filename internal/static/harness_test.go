//go:build cgo

package static

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

var wantRe = regexp.MustCompile(`#\s*want:\s*([a-z0-9.\-,@ ]+)`)

var wantAtRe = regexp.MustCompile(`#\s*want-at:\s*(\S+):(\d+)\s+([a-z0-9.\-,@ ]+)`)

// reviewSuffix marks a wanted finding that rests on names only: reported
// as low, "review:". Every other wanted finding must carry its evidence.
const reviewSuffix = "@review"

// wants reads "# want: RULE-ID[, RULE-ID...]" comments under dir as
// "file:line rule" keys.
func wants(t *testing.T, dir string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".py") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(dir, p)
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			// "# want-at: config.json:3 RULE-ID": a finding in a file
			// that cannot carry comments (JSON).
			if m := wantAtRe.FindStringSubmatch(sc.Text()); m != nil {
				for _, id := range strings.FieldsFunc(m[3], func(r rune) bool { return r == ',' || r == ' ' }) {
					out[fmt.Sprintf("%s:%s %s", m[1], m[2], id)] = true
				}
				continue
			}
			for _, m := range wantRe.FindAllStringSubmatch(sc.Text(), -1) {
				for _, id := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' }) {
					out[fmt.Sprintf("%s:%d %s", filepath.ToSlash(rel), line, id)] = true
				}
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// got keys the unsuppressed findings at or above min like wants does; a
// finding downgraded for lack of evidence carries reviewSuffix.
func got(fs []finding.Finding, min finding.Severity) map[string]bool {
	out := map[string]bool{}
	for _, f := range fs {
		if f.Suppressed != "" || f.Location == nil || f.Severity.Rank() < min.Rank() {
			continue
		}
		k := fmt.Sprintf("%s:%d %s", f.Location.File, f.Location.Line, f.Rule)
		if strings.HasPrefix(f.Message, "review: ") {
			k += reviewSuffix
		}
		out[k] = true
	}
	return out
}

// compare fails on every missing and every unexpected finding.
func compare(t *testing.T, want, have map[string]bool, fs []finding.Finding) {
	t.Helper()
	var missing, extra []string
	for k := range want {
		if !have[k] {
			missing = append(missing, k)
		}
	}
	for k := range have {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, k := range missing {
		t.Errorf("missing finding %s", k)
	}
	for _, k := range extra {
		msg := ""
		for _, f := range fs {
			if f.Location != nil && fmt.Sprintf("%s:%d %s", f.Location.File, f.Location.Line, f.Rule) == k {
				msg = f.Message
			}
		}
		t.Errorf("unexpected finding %s (%s)", k, msg)
	}
}

// TestFixtures runs the analysis on each project under testdata/fixtures
// and compares with its # want comments.
func TestFixtures(t *testing.T) {
	dirs, err := filepath.Glob("testdata/fixtures/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			_, fs, err := Analyze(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			want := wants(t, dir)
			if len(want) == 0 && filepath.Base(dir) != "clean" {
				t.Fatal("fixture has no # want comments")
			}
			compare(t, want, got(fs, finding.Info), fs)
		})
	}
}

func TestSuppressionAndRecovery(t *testing.T) {
	_, fs, err := Analyze(context.Background(), "testdata/fixtures/pyjwt")
	if err != nil {
		t.Fatal(err)
	}
	suppressed := 0
	for _, f := range fs {
		if f.Suppressed != "" {
			suppressed++
			if f.Suppressed != "debug printer only" || f.Rule != "py.jwt-unverified" {
				t.Fatalf("suppressed %s with %q", f.Rule, f.Suppressed)
			}
		}
	}
	if suppressed != 1 || finding.AtLeast(fs[len(fs)-1:], finding.Info) && fs[len(fs)-1].Suppressed != "" {
		t.Fatalf("%d suppressed findings, want 1", suppressed)
	}
	proj, fs, err := Analyze(context.Background(), "testdata/fixtures/broken")
	if err != nil {
		t.Fatal(err)
	}
	if len(proj.Warnings) != 1 || !strings.Contains(proj.Warnings[0], "app.py: syntax errors") {
		t.Fatalf("warnings %q", proj.Warnings)
	}
	if len(fs) != 1 || len(proj.Routes) != 0 || proj.Files != 1 {
		t.Fatalf("recovered %d findings, %d routes, %d files", len(fs), len(proj.Routes), proj.Files)
	}
}

func TestSuppressionSyntax(t *testing.T) {
	cases := []struct{ line, rule, want string }{
		{"x = 1  # authprobe: ignore[py.a] -- known", "py.a", "known"},
		{"x = 1  # authprobe: ignore[py.b, py.a]", "py.a", "ignored inline"},
		{"x = 1  # authprobe: ignore[py.b] -- other rule", "py.a", ""},
		{"x = 1  # authprobe ignore py.a", "py.a", ""},
	}
	for _, c := range cases {
		if got := suppression(c.line, c.rule); got != c.want {
			t.Errorf("suppression(%q, %q) = %q, want %q", c.line, c.rule, got, c.want)
		}
	}
}
