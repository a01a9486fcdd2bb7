package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/fleet"
	"github.com/authprobe/authprobe/internal/report"
)

func saveResult(t *testing.T, path string, r *report.Result) {
	t.Helper()
	if err := report.WriteFiles(r, []string{path}, report.Options{}); err != nil {
		t.Fatal(err)
	}
}

func twoEnvironments(t *testing.T, dir string) (string, string) {
	t.Helper()
	row := func(anon string) []report.Endpoint {
		return []report.Endpoint{{Method: "GET", Path: "/api/reports", Policy: "jwt", Matrix: map[string]string{"anonymous": anon}}}
	}
	staging := report.New("http://127.0.0.1:1", Version)
	staging.Endpoints = row("rejected")
	prod := report.New("http://127.0.0.1:2", Version)
	prod.Endpoints = row("accepted")
	prod.Findings = []finding.Finding{{Fingerprint: "f1", Rule: "authz.unauthenticated-access", Title: "t", Severity: finding.Medium,
		Confidence: finding.Firm, CWE: []string{"CWE-306"}, Endpoint: &finding.Endpoint{Method: "GET", Path: "/api/reports"}}}
	a, b := filepath.Join(dir, "staging.json"), filepath.Join(dir, "prod.json")
	saveResult(t, a, staging)
	saveResult(t, b, prod)
	return a, b
}

func TestCompareCommand(t *testing.T) {
	dir := t.TempDir()
	a, b := twoEnvironments(t, dir)
	cases := []struct {
		name string
		args []string
		exit int
		out  string
	}{
		{"drift at high", []string{"compare", a, b, "--fail-on", "high"}, ExitFindings, "anonymous: A rejected, B accepted"},
		{"drift below critical", []string{"compare", a, b, "--fail-on", "critical"}, ExitOK, "1 endpoints drifted"},
		{"no drift", []string{"compare", a, a}, ExitOK, "No drift"},
		{"markdown", []string{"compare", a, b, "--format", "md", "--fail-on", "none"}, ExitOK, "| `GET /api/reports` | high |"},
		{"json", []string{"compare", a, b, "--format", "json", "--fail-on", "none"}, ExitOK, `"schema": "authprobe/drift/v1"`},
		{"bad format", []string{"compare", a, b, "--format", "xml"}, ExitUsage, ""},
		{"missing file", []string{"compare", a, filepath.Join(dir, "nope.json")}, ExitUsage, ""},
		{"one argument", []string{"compare", a}, ExitUsage, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := fleetCLI(t, c.args...)
			if code != c.exit || !strings.Contains(out, c.out) {
				t.Errorf("exit %d, want %d; stdout lacks %q:\n%s\n%s", code, c.exit, c.out, out, stderr)
			}
		})
	}
}

func TestMergeCommand(t *testing.T) {
	dir := t.TempDir()
	a, b := twoEnvironments(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "summary.json"), []byte(`{"schema": "`+fleet.SummarySchema+`", "exit": 0, "targets": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	all := filepath.Join(dir, "out", "all")
	if err := os.MkdirAll(filepath.Dir(all), 0o755); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := fleetCLI(t, "merge", dir, "-o", all+".sarif", "-o", all+".html", "-o", all+".json", "--fail-on", "medium")
	if code != ExitFindings || !strings.Contains(out, "prod") || !strings.Contains(out, "staging") {
		t.Fatalf("merge: exit %d, want 1 (prod has a medium finding); %s %s", code, out, stderr)
	}
	data, err := os.ReadFile(all + ".json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"name": "prod"`) || strings.Contains(string(data), fleet.SummarySchema) {
		t.Errorf("merged json: the summary must be skipped and targets named after their files:\n%.300s", data)
	}
	// A merge of merges expands them; the same target twice is an error.
	if code, _, stderr := fleetCLI(t, "merge", all+".json", "-o", filepath.Join(dir, "again.sarif"), "--fail-on", "none", "--quiet"); code != ExitOK {
		t.Errorf("merge of a merge: exit %d; %s", code, stderr)
	}
	for name, args := range map[string][]string{
		"duplicate":   {"merge", a, all + ".json", "-o", filepath.Join(dir, "x.sarif")},
		"bad ext":     {"merge", a, b, "-o", filepath.Join(dir, "x.xml")},
		"no results":  {"merge", filepath.Join(dir, "summary.json"), "-o", filepath.Join(dir, "x.sarif")},
		"quiet no -o": {"merge", a, "--quiet"},
	} {
		if code, _, _ := fleetCLI(t, args...); code != ExitUsage {
			t.Errorf("%s: exit %d, want 2", name, code)
		}
	}
}

func TestScanTargetsUsage(t *testing.T) {
	dir := t.TempDir()
	targets := filepath.Join(dir, "targets.yaml")
	if err := os.WriteFile(targets, []byte("defaults: {rate: 5}\ntargets:\n  - {name: a, url: 'http://127.0.0.1:1'}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("defaults: {no-such-flag: 1}\ntargets:\n  - {name: a, url: 'http://127.0.0.1:1'}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out") + "/"
	for name, args := range map[string][]string{
		"no -o":           {"scan", "--targets", targets},
		"-o a file":       {"scan", "--targets", targets, "-o", filepath.Join(dir, "r.json")},
		"a URL too":       {"scan", "http://127.0.0.1:1", "--targets", targets, "-o", out},
		"index too large": {"scan", "--targets", targets, "--target-index", "1", "-o", out},
		"missing file":    {"scan", "--targets", filepath.Join(dir, "nope.yaml"), "-o", out},
		"unknown option":  {"scan", "--targets", bad, "-o", out},
		"bad format":      {"scan", "--targets", targets, "--target-formats", "pdf", "-o", out},
	} {
		if code, _, stderr := fleetCLI(t, args...); code != ExitUsage {
			t.Errorf("%s: exit %d, want 2; %s", name, code, stderr)
		}
	}
}

func TestListTargets(t *testing.T) {
	dir := t.TempDir()
	targets := filepath.Join(dir, "targets.yaml")
	if err := os.WriteFile(targets, []byte("targets:\n  - {name: a, url: 'http://127.0.0.1:1'}\n  - {name: b, url: 'http://127.0.0.1:2'}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := fleetCLI(t, "scan", "--targets", targets, "--list-targets")
	want := `[{"index":0,"name":"a","url":"http://127.0.0.1:1"},{"index":1,"name":"b","url":"http://127.0.0.1:2"}]` + "\n"
	if code != ExitOK || out != want {
		t.Errorf("exit %d, stdout %q, want %q; %s", code, out, want, stderr)
	}
}
