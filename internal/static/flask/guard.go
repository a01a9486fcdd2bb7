package flask

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// maxNest bounds how deep the model's resolvers may nest across each
// other. Each resolver bounds its own chase (eval's depth, resolveDef's),
// but a chase that passes from one to another (a value that needs an
// object that needs a call's value ...) starts the other's count again:
// names defined from each other across modules could recurse until the
// Go stack overflows, which no recover catches. This shared count ends
// any such cycle; what it cut is unknown, never guessed.
const maxNest = 400

// enter counts one level of resolver nesting; false when the bound is
// reached (the caller returns "unknown" and does not call leave).
func (p *Project) enter() bool {
	if p.nest >= maxNest {
		p.nestCut++
		return false
	}
	p.nest++
	return true
}

func (p *Project) leave() { p.nest-- }

// guarded runs one phase of building the model; a panic on code the
// model did not expect ends that phase with a warning instead of the
// whole analysis (what the earlier phases found stands).
func (p *Project) guarded(phase string, run func()) {
	depth := p.nest
	defer func() {
		if e := recover(); e != nil {
			p.nest = depth
			p.Warnings = append(p.Warnings, fmt.Sprintf("the model stopped early while %s (%v at %s): its results may be incomplete", phase, e, panicSite()))
		}
	}()
	run()
}

// guardedFile is guarded for one file of a phase: the other files'
// results stand.
func (p *Project) guardedFile(phase string, f *python.File, run func()) {
	p.guarded(phase+" of "+f.Path, run)
}

// panicSite is the innermost frame of this package in a panic's stack,
// so the warning says where to look.
func panicSite() string {
	for _, line := range strings.Split(string(debug.Stack()), "\n") {
		line = strings.TrimSpace(line)
		if strings.Contains(line, "/static/flask/") && !strings.Contains(line, "guard.go") && strings.HasPrefix(line, "/") {
			if i := strings.LastIndexByte(line, '/'); i >= 0 {
				return strings.Fields(line[i+1:])[0]
			}
		}
	}
	return "unknown"
}

// nestWarning says how many resolution chains the nesting bound cut.
func (p *Project) nestWarning() {
	if p.nestCut > 0 {
		p.Warnings = append(p.Warnings, fmt.Sprintf("%d name resolutions were cut at nesting depth %d (names defined from each other): what they compute is taken as unknown", p.nestCut, maxNest))
	}
}
