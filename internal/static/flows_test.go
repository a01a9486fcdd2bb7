//go:build cgo

package static

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var updateFlows = flag.Bool("update-flows", false, "rewrite testdata/flows.golden")

// TestFlowsGolden pins every finding's evidence path (source, steps,
// sink, entry) on the rules' fixtures: a refactoring of the rules'
// path-following must leave each one as it was. Run with -update-flows
// after an intended change and review the diff. (The labs change with
// other features; TestLabs holds their findings.)
func TestFlowsGolden(t *testing.T) {
	var dirs []string
	for _, pattern := range []string{"testdata/fixtures/*"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range m {
			if st, err := os.Stat(d); err == nil && st.IsDir() {
				dirs = append(dirs, d)
			}
		}
	}
	sort.Strings(dirs)
	var b strings.Builder
	for _, dir := range dirs {
		_, fs, err := Analyze(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, f := range fs {
			if len(f.Flow) == 0 {
				continue
			}
			loc := ""
			if f.Location != nil {
				loc = fmt.Sprintf("%s:%d", f.Location.File, f.Location.Line)
			}
			var s strings.Builder
			fmt.Fprintf(&s, "%s %s %s %s\n", filepath.ToSlash(dir), loc, f.Rule, f.Severity)
			for _, st := range f.Flow {
				fmt.Fprintf(&s, "    %-6s %s:%d %s\n", st.Role, st.File, st.Line, st.Note)
			}
			lines = append(lines, s.String())
		}
		sort.Strings(lines)
		b.WriteString(strings.Join(lines, ""))
	}
	golden := filepath.Join("testdata", "flows.golden")
	if *updateFlows {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update-flows to create it)", err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("evidence paths changed at line %d:\n got: %s\nwant: %s", i+1, g, w)
			}
		}
	}
}
