package inventory

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// bigSpec writes an OpenAPI 3 JSON document of about size bytes: many
// operations with parameters, security and large response schemas.
func bigSpec(size int) []byte {
	var b strings.Builder
	b.WriteString(`{"openapi":"3.0.3","info":{"title":"big","version":"1"},"components":{"securitySchemes":{"bearer":{"type":"http","scheme":"bearer"}}},"security":[{"bearer":[]}],"paths":{`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"/api/r%d/{id}":{"get":{"operationId":"op%d","parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"integer"}}],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"object","properties":{`, i, i)
		for p := 0; p < 40; p++ {
			if p > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `"field%d":{"type":"string","description":"field %d of resource %d, a long description of what it holds"}`, p, p, i)
		}
		b.WriteString(`}}}}}}}}`)
	}
	b.WriteString(`}}`)
	return []byte(b.String())
}

// TestHelperParseSpec is the child process of BenchmarkSpecMemory: it
// parses the spec named in the environment and exits.
func TestHelperParseSpec(t *testing.T) {
	path := os.Getenv("AUTHPROBE_SPEC_CHILD")
	if path == "" {
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := FromSpec(data, path)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("endpoints", len(inv.Endpoints))
}

// BenchmarkSpecMemory reports the peak RSS of parsing a 28 MB spec in a
// fresh process (target: under 512 MB).
func BenchmarkSpecMemory(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.json")
	data := bigSpec(28 << 20)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	for range b.N {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperParseSpec$")
		cmd.Env = append(os.Environ(), "AUTHPROBE_SPEC_CHILD="+path)
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		b.ReportMetric(float64(ru.Maxrss)/1024, "peakRSS-MB")
		b.ReportMetric(float64(len(data))/(1<<20), "spec-MB")
	}
}
