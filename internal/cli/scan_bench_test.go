package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// BenchmarkScanLab measures a full scan of each lab at the default rate:
// wall time per scan and requests per scan and per endpoint.
func BenchmarkScanLab(b *testing.B) {
	for _, name := range []string{"jwt", "jwt-secure", "apikey"} {
		b.Run(name, func(b *testing.B) {
			lab := labtest.Start(b, name)
			out := filepath.Join(b.TempDir(), "r.json")
			var requests, endpoints int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var o, e bytes.Buffer
				if code := Run(context.Background(), []string{"scan", lab.URL, "-c", lab.Config(), "-o", out, "--quiet", "--fail-on", "none"}, nil, &o, &e); code != 0 {
					b.Fatalf("exit %d: %s", code, e.String())
				}
				b.StopTimer()
				data, err := os.ReadFile(out)
				if err != nil {
					b.Fatal(err)
				}
				var res report.Result
				if err := json.Unmarshal(data, &res); err != nil {
					b.Fatal(err)
				}
				requests, endpoints = res.Stats.Requests, len(res.Endpoints)
				b.StartTimer()
			}
			b.ReportMetric(float64(requests), "requests/scan")
			if endpoints > 0 {
				b.ReportMetric(float64(requests)/float64(endpoints), "requests/endpoint")
			}
		})
	}
}

// BenchmarkScanOneGate2000 scans a generated API of 2,000 routes behind one
// strict gate (labs/gates/gen.py --routes 2000 --gates strict) at --rate 0:
// wall time per scan, requests per route, and the process's peak RSS.
func BenchmarkScanOneGate2000(b *testing.B) {
	benchGates(b, "--routes", "2000", "--gates", "strict")
}

// BenchmarkScanThreeGates scans the three-gate API of labs/gates (60 routes
// behind an unverified gate, 60 behind one taking alg none, 60 behind a
// strict one, all refusing alike) at --rate 0: requests per route all-in
// (the login's brute-force series included).
func BenchmarkScanThreeGates(b *testing.B) {
	benchGates(b, "--routes", "60")
}

// benchGates generates a gates API with gen.py's args and scans it.
func benchGates(b *testing.B, args ...string) {
	root, err := labtest.Root()
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	gen := exec.Command(labtest.Python, append([]string{filepath.Join(root, "gates", "gen.py"), "--out", dir, "--name", "gates-bench"}, args...)...)
	if out, err := gen.CombinedOutput(); err != nil {
		b.Fatalf("gen.py: %v\n%s", err, out)
	}
	lab := labtest.StartDir(b, dir)
	out := filepath.Join(b.TempDir(), "r.json")
	var requests, routes int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var o, e bytes.Buffer
		if code := Run(context.Background(), []string{"scan", lab.URL, "-c", lab.Config(), "-o", out, "--quiet", "--fail-on", "none", "--rate", "0"}, nil, &o, &e); code != 0 {
			b.Fatalf("exit %d: %s", code, e.String())
		}
		b.StopTimer()
		data, err := os.ReadFile(out)
		if err != nil {
			b.Fatal(err)
		}
		var res report.Result
		if err := json.Unmarshal(data, &res); err != nil {
			b.Fatal(err)
		}
		// Routes are the gated ones; /health and /login are the API's
		// fixed two, and their requests are counted all the same.
		requests, routes = res.Stats.Requests, len(res.Endpoints)-2
		b.StartTimer()
	}
	b.ReportMetric(float64(requests)/float64(routes), "requests/route")
	if mb := peakRSSMB(); mb > 0 {
		b.ReportMetric(mb, "MB-peak-RSS")
	}
}

// peakRSSMB reads the process's peak resident set (VmHWM) on Linux; 0
// elsewhere.
func peakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			var kb float64
			if _, err := fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), " kB"), &kb); err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}
