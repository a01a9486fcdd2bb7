package cli

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkFleet scans 16 instances of labs/fleet (half with a drifted
// gate) with scan --targets, once one target after another
// (--parallel-targets 1) and once all at once (--parallel-targets 16), and
// reports both wall times, the speed-up and the process's peak RSS during
// the parallel run (VmHWM, reset before it through /proc/self/clear_refs).
// make bench-fleet runs it alone.
func BenchmarkFleet(b *testing.B) {
	labs := startFleet(b, 16)
	dir := b.TempDir()
	targets := writeTargets(b, dir, labs)
	var seq, par time.Duration
	var peak int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		seq += fleetRunOnce(b, targets, filepath.Join(dir, "seq")+"/", "1")
		if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
			b.Logf("cannot reset the peak RSS (%v): the figure covers the whole benchmark", err)
		}
		par += fleetRunOnce(b, targets, filepath.Join(dir, "par")+"/", "16")
		if p := peakRSS(b); p > peak {
			peak = p
		}
	}
	n := float64(b.N)
	b.ReportMetric(seq.Seconds()/n, "sequential-s")
	b.ReportMetric(par.Seconds()/n, "parallel-s")
	b.ReportMetric(seq.Seconds()/par.Seconds(), "speedup-x")
	b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
}

// fleetRunOnce runs scan --targets and checks every target got its result.
func fleetRunOnce(b *testing.B, targets, out, parallel string) time.Duration {
	b.Helper()
	start := time.Now()
	code, _, stderr := fleetCLI(b, "scan", "--targets", targets, "-o", out, "--parallel-targets", parallel, "--quiet")
	d := time.Since(start)
	if code != ExitFindings {
		b.Fatalf("--parallel-targets %s: exit %d, want 1 (the drifted targets); %s", parallel, code, stderr)
	}
	sum := readSummary(b, filepath.Join(out, "summary.json"))
	for _, l := range sum.Targets {
		if l.Result == "" || l.Error != "" {
			b.Fatalf("--parallel-targets %s: %s has no result: %s", parallel, l.Name, l.Error)
		}
	}
	return d
}

// peakRSS is the process's VmHWM in KiB.
func peakRSS(b *testing.B) int64 {
	b.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
	return 0
}
