package fleet

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/report"
)

func targets(n int) []Target {
	out := make([]Target, n)
	for i := range out {
		out[i] = Target{Name: fmt.Sprintf("t%d", i), URL: fmt.Sprintf("http://127.0.0.1:%d", 1000+i)}
	}
	return out
}

// TestRunBoundsTargetsInFlight: never more than parallel scans at once, and
// lines come back in target order whatever the finishing order.
func TestRunBoundsTargetsInFlight(t *testing.T) {
	var inFlight, peak atomic.Int32
	var calls atomic.Int32
	scan := func(ctx context.Context, i int, tg Target) Line {
		calls.Add(1)
		n := inFlight.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(time.Duration(10-i%10) * time.Millisecond)
		inFlight.Add(-1)
		return Line{Exit: i % 2}
	}
	var done atomic.Int32
	lines := Run(context.Background(), targets(20), nil, 3, scan, func(Line) { done.Add(1) })
	if p := peak.Load(); p > 3 || p < 2 {
		t.Errorf("peak targets in flight %d, want at most 3 (and more than 1)", p)
	}
	if calls.Load() != 20 || done.Load() != 20 {
		t.Errorf("%d scans, %d done calls, want 20", calls.Load(), done.Load())
	}
	for i, l := range lines {
		if l.Name != fmt.Sprintf("t%d", i) || l.Index != i || l.Exit != i%2 {
			t.Errorf("line %d: %+v", i, l)
		}
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	scan := func(ctx context.Context, i int, tg Target) Line {
		cancel()
		return Line{}
	}
	lines := Run(ctx, targets(3), []int{7, 8, 9}, 1, scan, nil)
	if lines[0].Index != 7 || lines[0].Exit != ExitOK {
		t.Errorf("first target: %+v", lines[0])
	}
	for _, l := range lines[1:] {
		if l.Exit != ExitInterrupted || !strings.Contains(l.Error, "not started") {
			t.Errorf("target after cancel: %+v", l)
		}
	}
}

func TestWorst(t *testing.T) {
	cases := []struct {
		codes []int
		want  int
	}{
		{nil, 0}, {[]int{0, 0}, 0}, {[]int{0, 1}, 1}, {[]int{1, 3, 0}, 3},
		{[]int{3, 2, 1}, 2}, {[]int{2, 130}, 130}, {[]int{0, 143, 3}, 143},
	}
	for _, c := range cases {
		var lines []Line
		for _, code := range c.codes {
			lines = append(lines, Line{Exit: code})
		}
		if got := Worst(lines); got != c.want {
			t.Errorf("Worst(%v) = %d, want %d", c.codes, got, c.want)
		}
	}
}

func TestSummary(t *testing.T) {
	r := report.New("http://127.0.0.1:1", "0")
	r.Endpoints = []report.Endpoint{{Method: "GET", Path: "/a"}}
	r.Findings = []finding.Finding{
		{Rule: "jwt.alg-none", Severity: finding.Critical, Confidence: finding.Confirmed},
		{Rule: "x.y", Severity: finding.Low, Confidence: finding.Firm},
		{Rule: "x.z", Severity: finding.High, Suppressed: "ignored: accepted"},
	}
	r.Coverage = []report.Coverage{{Family: "jwt", Tested: 1, Skipped: []report.Skip{{Reason: "no usable JWT"}}}}
	l := LineOf(r)
	l.Name = "a"
	if l.Findings["critical"] != 1 || l.Findings["low"] != 1 || l.Findings["high"] != 0 || l.Score == nil || *l.Score > 59 ||
		l.Coverage["jwt"] != (Coverage{Tested: 1, Skipped: 1}) || l.Endpoints != 1 {
		t.Errorf("line %+v", l)
	}
	s := NewSummary([]Line{l, {Name: "b", Exit: ExitNoTest, Error: "identity preflight:\nlogin failed"}})
	var buf bytes.Buffer
	if err := s.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != 4 {
		t.Errorf("summary JSON has %d lines, want 4 (head, one per target, tail):\n%s", n, buf.String())
	}
	back, err := ReadSummary(buf.Bytes())
	if err != nil || back.Exit != ExitNoTest || len(back.Targets) != 2 || back.Targets[1].Error != "identity preflight:\nlogin failed" {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
	buf.Reset()
	if err := s.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "identity preflight: login failed") || !strings.Contains(buf.String(), "exit 3") {
		t.Errorf("table:\n%s", buf.String())
	}
}
