package cli

import (
	"sync"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/report"
)

// TestJSONSinkDebounces: a burst of findings rewrites the JSON outputs
// once at once and once more with the latest result, not once per
// finding; stop keeps what was handed over when no final write follows,
// and nothing is written after it.
func TestJSONSinkDebounces(t *testing.T) {
	var mu sync.Mutex
	var wrote []int // findings in each write
	s := &jsonSink{paths: []string{"r.json"}}
	s.write = func(res *report.Result) {
		mu.Lock()
		defer mu.Unlock()
		wrote = append(wrote, len(res.Findings))
	}
	res := &report.Result{}
	for range 100 {
		res = &report.Result{Findings: append(append([]finding.Finding(nil), res.Findings...), finding.Finding{Rule: "x"})}
		s.flush(res)
	}
	mu.Lock()
	if len(wrote) != 1 || wrote[0] != 1 {
		t.Fatalf("writes during the burst: %v, want one, of the first finding", wrote)
	}
	mu.Unlock()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		n := len(wrote)
		mu.Unlock()
		if n > 1 {
			break
		}
	}
	mu.Lock()
	if len(wrote) != 2 || wrote[1] != 100 {
		t.Fatalf("writes after the burst: %v, want a second with all 100 findings", wrote)
	}
	mu.Unlock()
	s.mu.Lock()
	s.last = time.Now() // the next flush is within the second
	s.mu.Unlock()
	s.flush(&report.Result{Findings: make([]finding.Finding, 101)})
	s.stop(true)
	s.flush(&report.Result{Findings: make([]finding.Finding, 102)})
	time.Sleep(flushEvery + 300*time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if len(wrote) != 3 || wrote[2] != 101 {
		t.Fatalf("writes after stop: %v, want the pending 101 kept and nothing after", wrote)
	}
	// With a final write to come, stop drops what is pending.
	s2 := &jsonSink{paths: []string{"r.json"}, write: func(*report.Result) { t.Error("written after stop(false)") }}
	s2.last = time.Now()
	s2.flush(&report.Result{})
	s2.stop(false)
	time.Sleep(flushEvery + 300*time.Millisecond)
}
