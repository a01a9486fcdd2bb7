package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/testref"
)

// fixtureJSON is the report package's rich fixture result, as saved JSON.
const fixtureJSON = "../report/testdata/fixture.json"

func reportRun(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), labtest.ScanArgs(args), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReportConvertsByteForByte converts the saved fixture to every format
// in one run and compares with the report package's golden files: the same
// bytes the original run wrote.
func TestReportConvertsByteForByte(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := func(ext string) string { return filepath.Join(dir, "r."+ext) }
	args := []string{"report", fixtureJSON, "-q", "--source-url", "https://github.com/acme/api/blob/0123abc"}
	for _, ext := range []string{"json", "sarif", "html", "md", "xml", "txt"} {
		args = append(args, "-o", out(ext))
	}
	code, stdout, stderr := reportRun(t, "", args...)
	if code != 1 || stdout != "" || stderr != "" {
		t.Fatalf("exit %d (want 1: findings at or above low), stdout %q, stderr %s", code, stdout, stderr)
	}
	for _, ext := range []string{"json", "html", "md", "xml", "txt"} {
		if !bytes.Equal(readFile(t, out(ext)), readFile(t, "../report/testdata/fixture."+ext)) {
			t.Errorf("r.%s differs from the golden fixture.%s", ext, ext)
		}
	}
	// SARIF carries the catalog's descriptions; compare with the writer.
	res, err := report.ReadJSON(fixtureJSON)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := report.WriteSARIF(&want, res, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readFile(t, out("sarif")), want.Bytes()) {
		t.Error("r.sarif differs from WriteSARIF of the same result")
	}
}

func TestReportExitCodes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"default fail-on low", nil, 1, "CRITICAL (2)", ""},
		{"fail-on critical", []string{"--fail-on", "critical"}, 1, "", ""},
		{"fail-on none", []string{"--fail-on", "none"}, 0, "Auth matrix", ""},
		{"min-score", []string{"--fail-on", "none", "--min-score", "50"}, 1, "", "below --min-score 50"},
		{"min-score met", []string{"--fail-on", "none", "--min-score", "38"}, 0, "", ""},
		{"min-score just missed", []string{"--fail-on", "none", "--min-score", "39"}, 1, "", "score 38 (grade F) is below --min-score 39"},
		{"json stdout", []string{"--fail-on", "none", "--format", "json"}, 0, `"schema": "authprobe/v1"`, ""},
		{"junit stdout", []string{"--fail-on", "none", "--format", "junit"}, 0, "<testsuites", ""},
		{"sarif anchor", []string{"--fail-on", "none", "--format", "sarif", "--sarif-anchor", "deploy/scan.yaml"}, 0, `"uri": "deploy/scan.yaml"`, ""},
		{"baseline of itself", []string{"--baseline", fixtureJSON}, 0, "Suppressed (9)", ""},
		{"bad fail-on", []string{"--fail-on", "severe"}, 2, "", "--fail-on"},
		{"bad format", []string{"--format", "pdf"}, 2, "", "--format"},
		{"bad output", []string{"-o", "x.pdf"}, 2, "", "x.pdf"},
		{"bad min-score", []string{"--min-score", "101"}, 2, "", "--min-score"},
		{"missing baseline", []string{"--baseline", "nope.json"}, 2, "", "baseline"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := reportRun(t, "", append([]string{"report", fixtureJSON}, c.args...)...)
			if code != c.code || !strings.Contains(stdout, c.stdout) || !strings.Contains(stderr, c.stderr) {
				t.Errorf("exit %d (want %d); stdout has %q: %v; stderr %q", code, c.code, c.stdout,
					strings.Contains(stdout, c.stdout), stderr)
			}
		})
	}
}

func TestReportInputErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	other := filepath.Join(dir, "other.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, []byte(`{"schema":"sarif"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"report", filepath.Join(dir, "missing.json")},
		{"report", bad},
		{"report", other},
		{"report"},
		{"report", "-", "--fail-on", "none"}, // empty stdin
	} {
		if code, _, stderr := reportRun(t, "", args...); code != 2 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, stderr)
		}
	}
	// A refused -o writes nothing, not even the valid outputs.
	ok := filepath.Join(dir, "ok.json")
	if code, _, _ := reportRun(t, "", "report", fixtureJSON, "-o", ok, "-o", filepath.Join(dir, "x.pdf")); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if _, err := os.Stat(ok); !os.IsNotExist(err) {
		t.Error("ok.json written although x.pdf was refused")
	}
}

func TestReportStdinAndIgnoreFile(t *testing.T) {
	t.Parallel()
	res, err := report.ReadJSON(fixtureJSON)
	if err != nil {
		t.Fatal(err)
	}
	// Accept every active finding: one entry expired, the others current.
	var yaml strings.Builder
	yaml.WriteString("ignore:\n")
	expired := ""
	for _, f := range res.Findings {
		if f.Suppressed != "" {
			continue
		}
		date := "2999-01-01"
		if expired == "" {
			expired, date = f.Fingerprint, "2000-01-01"
		}
		yaml.WriteString("  - fingerprint: " + f.Fingerprint + "\n    reason: accepted in test\n    expires: " + date + "\n")
	}
	ign := filepath.Join(t.TempDir(), "ignore.yaml")
	if err := os.WriteFile(ign, []byte(yaml.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	stdin := string(readFile(t, fixtureJSON))
	code, stdout, stderr := reportRun(t, stdin, "report", "-", "--ignore-file", ign, "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d (stderr %s): the expired entry's finding must still fail", code, stderr)
	}
	var got report.Result
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	active := 0
	for _, f := range got.Findings {
		if f.Suppressed == "" {
			active++
			if f.Fingerprint != expired {
				t.Errorf("%s is active; only the expired entry's finding should be", f.Rule)
			}
		}
	}
	if active != 1 || len(got.Warnings) != len(res.Warnings)+1 || !strings.Contains(got.Warnings[len(got.Warnings)-1], "expired") {
		t.Errorf("%d active, warnings %q", active, got.Warnings)
	}
	if !finding.AtLeast(got.Findings, finding.Info) {
		t.Error("no active finding left")
	}
}

func init() {
	labHooks["jwt"] = append(labHooks["jwt"], labHook{"report-replay-and-diff", testLabScanReportsReplay})
}

// testLabScanReportsReplay (TestLabs/jwt/report-replay-and-diff): report
// reproduces every output of the jwt lab's scan byte for byte from its
// JSON, the SARIF validates against the official schema, and diff against
// a scan of the secure twin lists every finding as fixed and none as new.
func testLabScanReportsReplay(t *testing.T, _ *labtest.Lab, _ *report.Result, dir string) {
	exts := []string{"json", "sarif", "html", "md", "xml", "txt"}
	before := filepath.Join(dir, "result.json")
	if code, _, stderr := reportRun(t, "", "report", before, "-q"); code != ExitFindings {
		t.Fatalf("report of the jwt lab's scan: exit %d, want 1 (it has findings): %s", code, stderr)
	}
	// The scan ran with --fail-on none (TestLabs), which the JUnit output
	// records: the replay says the same.
	replay := []string{"report", before, "-q", "--fail-on", "none"}
	for _, ext := range exts {
		replay = append(replay, "-o", filepath.Join(dir, "replay."+ext))
	}
	if code, _, stderr := reportRun(t, "", replay...); code != ExitOK {
		t.Fatalf("report: exit %d, want 0: %s", code, stderr)
	}
	for _, ext := range exts {
		if !bytes.Equal(readFile(t, filepath.Join(dir, "result."+ext)), readFile(t, filepath.Join(dir, "replay."+ext))) {
			t.Errorf("report did not reproduce result.%s byte for byte", ext)
		}
	}
	validateSARIFFile(t, filepath.Join(dir, "result.sarif"))

	secure := labtest.Start(t, "jwt-secure")
	fixed := filepath.Join(t.TempDir(), "secure.json")
	if code, _, stderr := reportRun(t, "", "scan", secure.URL, "-c", secure.Config(), "-q", "-o", fixed); code != 0 {
		t.Fatalf("scan of the secure twin: exit %d: %s", code, stderr)
	}
	code, stdout, _ := reportRun(t, "", "diff", before, fixed)
	if code != 0 || !strings.Contains(stdout, "0 new, ") || strings.Contains(stdout, "Fixed (0)") {
		t.Errorf("diff vulnerable → secure: exit %d\n%s", code, stdout)
	}
	if code, _, _ := reportRun(t, "", "diff", fixed, before, "--fail-on", "critical", "-q"); code != ExitFindings {
		t.Errorf("diff secure → vulnerable: exit %d, want 1 (new criticals)", code)
	}
	if code, _, stderr := reportRun(t, "", "report", before, "--baseline", before, "-q"); code != 0 {
		t.Errorf("report --baseline of itself: exit %d, want 0: %s", code, stderr)
	}
}

// validateSARIFFile checks a file against the official SARIF 2.1.0 schema
// (internal/testref: shared/testdata, else a registry package).
func validateSARIFFile(t *testing.T, path string) {
	t.Helper()
	schemaPath := testref.Path(t, testref.SARIFSchema)
	c := jsonschema.NewCompiler()
	schema, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatalf("compile %s: %v", schemaPath, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(readFile(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Errorf("%s fails the SARIF 2.1.0 schema: %v", path, err)
	}
}

// TestReportOutputKeepsStdoutQuiet: report -o x.sarif writes the file and
// does not also print the text report; --format still prints.
func TestReportOutputKeepsStdoutQuiet(t *testing.T) {
	t.Parallel()
	sarif := filepath.Join(t.TempDir(), "x.sarif")
	_, stdout, stderr := reportRun(t, "", "report", fixtureJSON, "-o", sarif, "--fail-on", "none")
	if stdout != "" || len(readFile(t, sarif)) == 0 {
		t.Fatalf("stdout %q (want nothing), stderr %s", stdout, stderr)
	}
	_, stdout, _ = reportRun(t, "", "report", fixtureJSON, "-o", sarif, "--format", "md", "--fail-on", "none")
	if !strings.Contains(stdout, "### authprobe") {
		t.Fatalf("--format md with -o printed %q", stdout)
	}
}
