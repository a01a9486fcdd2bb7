package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/authprobe/authprobe/internal/crack"
	"github.com/authprobe/authprobe/internal/fleet"
	"github.com/authprobe/authprobe/internal/scan"
)

// progress is the one progress printer of every command: a status line
// redrawn in place, and whole lines, on stderr — only when stderr is a
// terminal and TERM is not dumb; piped or redirected it writes nothing
// (every method is a no-op on nil). Redraws come at most ten times a
// second.
type progress struct {
	w     io.Writer
	mu    sync.Mutex
	last  time.Time
	shown bool
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || os.Getenv("TERM") == "dumb" {
		return nil
	}
	return &progress{w: w}
}

// status redraws the status line; final: draw even within the tenth of a
// second since the last redraw.
func (p *progress) status(line string, final bool) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 100*time.Millisecond && !final {
		return
	}
	p.last = time.Now()
	p.shown = true
	fmt.Fprintf(p.w, "\r\033[K%s", line)
}

// line prints a whole line (over the status line, if one is shown).
func (p *progress) line(s string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	fmt.Fprintln(p.w, s)
}

// done clears the status line.
func (p *progress) done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
}

// clear erases the status line if one is shown; p.mu is held.
func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

// scanStatus draws a scan's progress.
func (p *progress) scanStatus(pr scan.Progress) {
	p.status(fmt.Sprintf("checks %d/%d · %d requests · %d findings", pr.Done, pr.Total, pr.Requests, pr.Findings), pr.Done >= pr.Total)
}

// crackStatus draws offline recovery's progress, after its first seconds.
func (p *progress) crackStatus(pr crack.Progress) {
	if pr.Elapsed < 2*time.Second {
		return
	}
	line := fmt.Sprintf("%d guesses, %.2f M/s", pr.Tried, pr.Rate/1e6)
	if pr.Total > 0 {
		line += fmt.Sprintf(", %.1f%%", 100*float64(pr.Tried)/float64(pr.Total))
	}
	switch {
	case pr.ETA > 365*24*time.Hour:
		line += ", ETA > 1 year"
	case pr.ETA >= 0:
		line += ", ETA " + pr.ETA.Round(time.Second).String()
	}
	p.status(line, false)
}

// targetDone prints one line per finished target of scan --targets.
func (p *progress) targetDone(total int) func(fleet.Line) {
	n := 0
	var mu sync.Mutex
	return func(l fleet.Line) {
		if p == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		n++
		status := fmt.Sprintf("%d findings", sum(l.Findings))
		if l.Error != "" {
			status = l.Error
		}
		p.line(fmt.Sprintf("[%d/%d] %s: exit %d · %s · %.1fs", n, total, l.Name, l.Exit, status, float64(l.DurationMS)/1000))
	}
}

func sum(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}
