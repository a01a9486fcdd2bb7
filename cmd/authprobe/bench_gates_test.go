package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// genGates writes one generated module of hooks app-wide hooks, each an
// API-key gate with its own exemption, and ten routes after each: every
// route is covered by every hook, so the result lists hooks × routes
// gates (the generated-module case whose cost grew faster than that).
func genGates(b *testing.B, dir string, hooks int) {
	b.Helper()
	var m strings.Builder
	m.WriteString("import hmac\nimport os\n\nfrom flask import Flask, abort, jsonify, request\n\n" +
		"app = Flask(__name__)\nKEY = os.environ.get(\"API_KEY\", \"\")\n")
	for h := 0; h < hooks; h++ {
		fmt.Fprintf(&m, "\n\n@app.before_request\ndef gate%[1]d():\n    if request.path.startswith(\"/public%[1]d\"):\n        return\n"+
			"    if not hmac.compare_digest(request.headers.get(\"X-Key-%[1]d\", \"\"), KEY):\n        abort(401)\n", h)
		for v := 0; v < 10; v++ {
			fmt.Fprintf(&m, "\n\n@app.route(\"/i%[1]d_%[2]d/<int:item_id>\")\ndef item_%[1]d_%[2]d(item_id):\n"+
				"    return jsonify({\"id\": item_id})\n", h, v)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(m.String()), 0o600); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCodeGates: `authprobe code` on a generated module of N and 2N
// app-wide gates (10 routes each), in a subprocess. The output is the
// route × gate list the JSON contract asks for, so it grows 4× when N
// doubles; the cost should grow like it (cpu-growth close to out-growth),
// not faster. Reports CPU seconds, peak RSS and output size at 2N.
func BenchmarkCodeGates(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "authprobe")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	tmp := b.TempDir()
	sizes := []int{150, 300}
	for _, n := range sizes {
		genGates(b, filepath.Join(tmp, fmt.Sprint(n)), n)
	}
	for range b.N {
		var cpu, out [2]float64
		for i, n := range sizes {
			res := filepath.Join(tmp, fmt.Sprintf("r%d.json", n))
			cmd := exec.Command(bin, "code", filepath.Join(tmp, fmt.Sprint(n)), "-q", "--format", "json", "-o", res, "--fail-on", "none")
			if msg, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("code: %v\n%s", err, msg)
			}
			ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			cpu[i] = float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
			st, err := os.Stat(res)
			if err != nil {
				b.Fatal(err)
			}
			out[i] = float64(st.Size())
			if i == 1 {
				b.ReportMetric(float64(ru.Maxrss)/1024, "peakRSS-MB")
			}
		}
		b.ReportMetric(cpu[1], "cpu-s/op")
		b.ReportMetric(out[1]/1e6, "out-MB")
		b.ReportMetric(cpu[1]/cpu[0], "cpu-growth")
		b.ReportMetric(out[1]/out[0], "out-growth")
	}
}
