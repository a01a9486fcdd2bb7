package cli

import (
	"path/filepath"
	"sync"
	"time"

	"github.com/authprobe/authprobe/internal/report"
)

// flushEvery is how often, at most, the JSON outputs are rewritten while
// a scan runs.
const flushEvery = time.Second

// jsonSink keeps a running scan's JSON outputs current, so that a run
// that is killed keeps its findings: it holds the latest result the scan
// hands over and writes it at once, then at most once per flushEvery (a
// scan that finds a hundred things rewrites its files a few times, not a
// hundred). The final write is the caller's.
type jsonSink struct {
	paths []string
	// write writes a result to the paths (report.WriteFiles).
	write func(*report.Result)

	mu      sync.Mutex
	pending *report.Result // handed over, not yet written
	last    time.Time      // of the last write
	timer   *time.Timer
	stopped bool
}

// sink returns the JSON sink of the -o outputs (a no-op without JSON).
func (o *outputFlags) sink() *jsonSink {
	s := &jsonSink{}
	for _, p := range o.files() {
		if filepath.Ext(p) == ".json" {
			s.paths = append(s.paths, p)
		}
	}
	failOn := o.failOn
	s.write = func(res *report.Result) {
		_ = report.WriteFiles(res, s.paths, report.Options{FailOn: failOn}) // best effort; the final write reports errors
	}
	return s
}

// flush takes the result so far (scan.Handler.Flush).
func (s *jsonSink) flush(res *report.Result) {
	if len(s.paths) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	s.pending = res
	if wait := flushEvery - time.Since(s.last); wait > 0 {
		if s.timer == nil {
			s.timer = time.AfterFunc(wait, s.due)
		}
		return
	}
	s.writeLocked()
}

// due writes what was handed over since the last write.
func (s *jsonSink) due() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.timer = nil
	if !s.stopped {
		s.writeLocked()
	}
}

// writeLocked writes the pending result (caller holds mu); errors are the
// final write's to report.
func (s *jsonSink) writeLocked() {
	if s.pending == nil {
		return
	}
	s.write(s.pending)
	s.pending, s.last = nil, time.Now()
}

// stop ends the sink before the final write; keep: a pending result is
// written first (there will be no final write). Nothing is written after.
func (s *jsonSink) stop(keep bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	if keep {
		s.writeLocked()
	}
	s.stopped = true
}
