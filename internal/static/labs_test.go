//go:build cgo

package static

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

// TestLabs runs the analysis on every lab and compares its findings at low
// or above with the lab's "# want: RULE-ID" comments, exactly: a missing
// or an unexpected finding fails. A secure twin has no comments, so it
// must yield nothing at low or above. (Info findings are hints, and the
// lab manifests count findings at low or above too.)
func TestLabs(t *testing.T) {
	manifests, err := filepath.Glob("../../labs/*/lab.yaml")
	if err != nil || len(manifests) < 2 {
		t.Fatalf("labs not found: %v", err)
	}
	for _, mf := range manifests {
		dir := filepath.Dir(mf)
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(mf)
			if err != nil {
				t.Fatal(err)
			}
			secure := strings.Contains(string(data), "\nexpect: []")
			// A lab whose flaws the source cannot show (no throttle is
			// a missing line) declares it and must yield nothing here.
			secure = secure || strings.Contains(string(data), "\nstatic: none")
			proj, fs, err := Analyze(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(proj.Routes) == 0 {
				t.Fatal("no routes found")
			}
			want := wants(t, dir)
			if !secure && len(want) == 0 {
				t.Fatal("vulnerable lab without # want comments")
			}
			if secure && len(want) != 0 {
				t.Fatalf("secure twin carries %d # want comments", len(want))
			}
			compare(t, want, got(fs, finding.Low), fs)
		})
	}
}
