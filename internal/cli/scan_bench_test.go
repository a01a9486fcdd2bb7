package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
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
