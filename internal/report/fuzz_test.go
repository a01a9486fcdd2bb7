package report

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzWriters: any result that decodes, however odd (hand-edited, from a
// newer version, hostile), renders in every format without panicking, and
// the SARIF and JUnit writers still produce parseable documents.
func FuzzWriters(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "fixture.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"schema":"authprobe/v1","findings":[{"rule":"","severity":"","endpoint":{},"location":{"line":-1},"evidence":{}}],"endpoints":[{"matrix":{"":"x"}}]}`))
	f.Add([]byte(`{"schema":"authprobe/v1","findings":null,"endpoints":null,"stats":{"duration_ms":-5}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeJSON(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		for _, name := range Formats() {
			w, _ := ForFormat(name)
			if err := w(io.Discard, r, Options{describe: fakeDescribe}); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		Score(r)
		Changes(r, r)
	})
}

// FuzzLoadIgnore: any ignore file is loaded or refused with an error.
func FuzzLoadIgnore(f *testing.F) {
	f.Add("ignore:\n  - fingerprint: 0123456789abcdef\n    reason: r\n    expires: 2026-01-01\n")
	f.Add("ignore: [{fingerprint: abcdef01, reason: x}]\n")
	f.Add("ignore:\n  - &a {fingerprint: abcdef01, reason: *a}\n")
	f.Fuzz(func(t *testing.T, body string) {
		p := filepath.Join(t.TempDir(), "ig.yaml")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		ig, err := LoadIgnore(p)
		if err != nil {
			return
		}
		r := fixture()
		n := ApplyIgnore(r, ig, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
		if n < 0 || n > len(r.Findings) || !strings.HasPrefix(r.Schema, "authprobe/") {
			t.Fatalf("ApplyIgnore suppressed %d of %d", n, len(r.Findings))
		}
	})
}
