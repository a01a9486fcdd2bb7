package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// BenchmarkScanMemory: peak RSS of a scan of 300 endpoints that each
// answer the valid credential with a 1 GB body (declared length, streamed;
// read up to the body cap, then dropped), with the default flags and at
// several concurrencies. Target: at most 300 MB in every case.
func BenchmarkScanMemory(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "authprobe")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	const tok = "tok-bench-5e1f9a7c3b"
	chunk := []byte(strings.Repeat(`{"id":12345,"name":"a record","tags":["x","y"]},`, 1<<10))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+tok {
			http.Error(w, `{"error":"unauthorized"}`, 401)
			return
		}
		w.Header().Set("Content-Length", fmt.Sprint(1<<30))
		w.Write([]byte(`{"items":[`))
		for sent := 0; sent < 1<<30; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return // the client stopped at its body cap
			}
		}
	}))
	defer srv.Close()
	var cfg strings.Builder
	cfg.WriteString("endpoints:\n")
	for i := range 300 {
		fmt.Fprintf(&cfg, "  - GET /api/r%03d\n", i)
	}
	fmt.Fprintf(&cfg, "identities:\n  alice: {bearer: %s}\n", tok)
	path := filepath.Join(b.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	// The default flags (every check, the default rate and concurrency),
	// then unthrottled at rising concurrency: the peak must not follow it.
	for _, c := range []struct {
		name string
		args []string
	}{
		{"defaults", nil},
		{"concurrency-8", []string{"--rate", "0", "--concurrency", "8"}},
		{"concurrency-64", []string{"--rate", "0", "--concurrency", "64"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				cmd := exec.Command(bin, append([]string{"scan", srv.URL, "-c", path, "-q"}, c.args...)...)
				out, _ := cmd.CombinedOutput()
				code := cmd.ProcessState.ExitCode()
				if code != 0 && code != 1 {
					b.Fatalf("exit %d\n%s", code, out)
				}
				ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
				b.ReportMetric(float64(ru.Maxrss)/1024, "peakRSS-MB")
			}
		})
	}
}
