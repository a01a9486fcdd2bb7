package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden (run with -update to accept):\n--- got ---\n%s", name, got)
	}
}

func render(t *testing.T, format string, r *Result, opt Options) []byte {
	t.Helper()
	w, err := ForFormat(format)
	if err != nil {
		t.Fatal(err)
	}
	if opt.describe == nil {
		opt.describe = fakeDescribe
	}
	var buf bytes.Buffer
	if err := w(&buf, r, opt); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	cases := []struct {
		file, format string
		opt          Options
	}{
		{"fixture.json", "json", Options{}},
		{"fixture.txt", "txt", Options{}},
		{"fixture.color.txt", "txt", Options{Color: true}},
		{"fixture.sarif", "sarif", Options{}},
		{"fixture.html", "html", Options{SourceURL: "https://github.com/acme/api/blob/0123abc"}},
		{"fixture.md", "md", Options{SourceURL: "https://github.com/acme/api/blob/0123abc"}},
		{"fixture.xml", "xml", Options{}},
		{"fixture.high.xml", "xml", Options{FailOn: "high"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			golden(t, c.file, render(t, c.format, fixture(), c.opt))
		})
	}
}

// TestGoldenClean renders a result without findings: every writer must
// still produce a complete, positive report.
func TestGoldenClean(t *testing.T) {
	r := New("http://127.0.0.1:5001", "0.1.0")
	r.Stats = Stats{Requests: 40, Endpoints: 2, DurationMS: 950}
	r.Endpoints = []Endpoint{
		{Method: "GET", Path: "/api/v1/me", Policy: "jwt", Matrix: map[string]string{"anonymous": "rejected", "alice": "accepted"}},
		{Method: "GET", Path: "/health", Policy: "public", Matrix: map[string]string{"anonymous": "accepted", "alice": "accepted"}},
	}
	for _, f := range []string{"txt", "sarif", "html", "md", "xml"} {
		t.Run(f, func(t *testing.T) {
			golden(t, "clean."+f, render(t, f, r, Options{}))
		})
	}
}

// fakeDescribe stands in for the catalog so golden files do not change when
// the catalog's wording does.
func fakeDescribe(rule string) string {
	if strings.HasPrefix(rule, "custom.") {
		return ""
	}
	return "What " + rule + " means, in the catalog's words."
}

// TestGoldenStatic renders a source-only result: no request count, no
// matrix, findings at file:line.
func TestGoldenStatic(t *testing.T) {
	r := New("./app", "0.1.0")
	r.Stats = Stats{Endpoints: 0, DurationMS: 20, Files: 3, Lines: 410}
	for _, f := range fixture().Findings {
		if f.Source == "static" {
			r.Findings = append(r.Findings, f)
		}
	}
	for _, f := range []string{"txt", "md", "xml"} {
		t.Run(f, func(t *testing.T) {
			golden(t, "static."+f, render(t, f, r, Options{}))
		})
	}
}
