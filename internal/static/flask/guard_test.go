package flask

import (
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/static/python"
)

// TestGuardedPhase: a panic in one phase of building the model becomes a
// warning naming the phase, the nesting count is restored, and the
// phases after it still run.
func TestGuardedPhase(t *testing.T) {
	p := &Project{}
	ran := false
	p.guardedFile("collecting routes", &python.File{Path: "pkg/views.py"}, func() {
		p.nest = 7
		var m map[string]*Module
		m["x"].Name = "boom" // nil map entry: a nil dereference
	})
	p.guarded("collecting hooks", func() { ran = true })
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "collecting routes of pkg/views.py") || p.nest != 0 || !ran {
		t.Fatalf("warnings %q, nest %d, next phase ran %v", p.Warnings, p.nest, ran)
	}
}

// TestNestBound: the shared nesting count refuses past maxNest, counts
// what it cut, and says so once.
func TestNestBound(t *testing.T) {
	p := &Project{}
	var deep func(int) int
	deep = func(n int) int {
		if !p.enter() {
			return n
		}
		defer p.leave()
		return deep(n + 1)
	}
	if got := deep(0); got != maxNest || p.nest != 0 || p.nestCut != 1 {
		t.Fatalf("depth %d, nest %d, cut %d", got, p.nest, p.nestCut)
	}
	p.nestWarning()
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "1 name resolutions were cut") {
		t.Fatalf("warnings %q", p.Warnings)
	}
}
