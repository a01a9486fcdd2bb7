package inventory

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"go.yaml.in/yaml/v4"
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

// TestHelperParseSpec is the child process of the spec memory benchmarks:
// it writes a spec (AUTHPROBE_SPEC_WRITE) or parses one
// (AUTHPROBE_SPEC_CHILD) and exits. Writing in a child of its own keeps
// the benchmark process small: a child's peak RSS counts from its
// parent's size at fork.
func TestHelperParseSpec(t *testing.T) {
	if path := os.Getenv("AUTHPROBE_SPEC_WRITE"); path != "" {
		data := bigSpec(28 << 20)
		if strings.HasSuffix(path, ".yaml") {
			data = bigYAML(t, 14<<20) // about 28 MB of YAML
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
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

func child(b *testing.B, env string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperParseSpec$")
	cmd.Env = append(os.Environ(), env)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	return cmd
}

// BenchmarkSpecMemory reports the peak RSS of parsing a 28 MB JSON spec in
// a fresh process (target: under 512 MB).
func BenchmarkSpecMemory(b *testing.B) { specMemory(b, filepath.Join(b.TempDir(), "big.json")) }

// BenchmarkSpecMemoryYAML is BenchmarkSpecMemory for a 28 MB YAML spec.
func BenchmarkSpecMemoryYAML(b *testing.B) { specMemory(b, filepath.Join(b.TempDir(), "big.yaml")) }

func specMemory(b *testing.B, path string) {
	child(b, "AUTHPROBE_SPEC_WRITE="+path)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		cmd := child(b, "AUTHPROBE_SPEC_CHILD="+path)
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		b.ReportMetric(float64(ru.Maxrss)/1024, "peakRSS-MB")
		b.ReportMetric(float64(st.Size())/(1<<20), "spec-MB")
	}
}

// bigYAML is bigSpec as YAML.
func bigYAML(tb testing.TB, size int) []byte {
	var v any
	if err := json.Unmarshal(bigSpec(size), &v); err != nil {
		tb.Fatal(err)
	}
	data, err := yaml.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}
