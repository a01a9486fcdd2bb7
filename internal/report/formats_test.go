package report

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

func TestJUnitCounts(t *testing.T) {
	for _, c := range []struct {
		failOn   string
		failures int
	}{{"", 5}, {"low", 5}, {"medium", 4}, {"high", 3}, {"critical", 2}, {"info", 6}, {"none", 0}} {
		var doc junitSuites
		if err := xml.Unmarshal(render(t, "xml", fixture(), Options{FailOn: c.failOn}), &doc); err != nil {
			t.Fatalf("JUnit is not XML: %v", err)
		}
		cases, failures, skipped := 0, 0, 0
		for _, s := range doc.Suites {
			for _, tc := range s.Cases {
				cases++
				if tc.Failure != nil {
					failures++
				}
				if tc.Skipped != nil {
					skipped++
				}
			}
		}
		// 9 findings + 1 endpoint without any finding (GET /health).
		if cases != 10 || doc.Tests != cases || skipped != 2 || doc.Skipped != 2 {
			t.Errorf("fail-on %q: %d cases (doc says %d), %d skipped", c.failOn, cases, doc.Tests, skipped)
		}
		if failures != c.failures || doc.Failures != failures {
			t.Errorf("fail-on %q: %d failures (doc says %d), want %d", c.failOn, failures, doc.Failures, c.failures)
		}
	}
	var empty junitSuites
	if err := xml.Unmarshal(render(t, "xml", New("app/", "0"), Options{}), &empty); err != nil {
		t.Fatal(err)
	}
	if empty.Tests != 1 || empty.Failures != 0 || len(empty.Suites) != 1 {
		t.Errorf("empty result: %d tests, %d failures; want one passing case", empty.Tests, empty.Failures)
	}
	var buf strings.Builder
	if err := WriteJUnit(&buf, fixture(), Options{FailOn: "severe"}); err == nil {
		t.Error("an invalid FailOn was accepted")
	}
}

var codeSpanRE = regexp.MustCompile("(`+) .*? `+|`[^`]*`")

// TestMarkdownHostile: target strings cannot open HTML or links in a PR
// comment; outside code spans nothing from them stays active.
func TestMarkdownHostile(t *testing.T) {
	r := New("http://x/`<b>`", "0")
	f := finding.Finding{Rule: "r.x", Title: "title <img src=x onerror=alert(1)> [click](http://evil) *x*",
		Severity: finding.High, Confidence: finding.Firm, CWE: []string{"CWE-1"},
		Endpoint: &finding.Endpoint{Method: "GET", Path: "/a/``<script>``/[l](http://evil)"}, Identity: "<i>bob</i>"}
	f.ComputeFingerprint()
	r.Findings = []finding.Finding{f}
	md := string(render(t, "md", r, Options{}))
	outside := codeSpanRE.ReplaceAllString(md, "CODE")
	for _, bad := range []*regexp.Regexp{regexp.MustCompile(`<[a-zA-Z/]`), regexp.MustCompile(`(^|[^\\])\]\(`)} {
		if bad.MatchString(outside) {
			t.Errorf("markdown matches %s outside code spans:\n%s", bad, md)
		}
	}
	if !strings.Contains(md, "``` GET /a/``<script>``/[l](http://evil) ```") {
		t.Errorf("path with backticks is not fenced by a longer run:\n%s", md)
	}
}

func TestColorFor(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm-256color")
	if ColorFor(f) {
		t.Error("a regular file is not a terminal")
	}
	if ColorFor(nil) {
		t.Error("nil file")
	}
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		return // no controlling terminal here: the TTY branch cannot be exercised
	}
	defer tty.Close()
	if !ColorFor(tty) {
		t.Error("/dev/tty with TERM=xterm-256color and no NO_COLOR: want colour")
	}
	t.Setenv("NO_COLOR", "1")
	if ColorFor(tty) {
		t.Error("NO_COLOR=1 still colours")
	}
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "dumb")
	if ColorFor(tty) {
		t.Error("TERM=dumb still colours")
	}
}

// TestIncompleteIsVisible: an interrupted run says so in every format.
func TestIncompleteIsVisible(t *testing.T) {
	r := fixture()
	r.Incomplete = true
	for format, marker := range map[string]string{
		"txt":   "INCOMPLETE",
		"md":    "Incomplete run",
		"html":  "Incomplete run.",
		"sarif": `"executionSuccessful": false`,
	} {
		if out := string(render(t, format, r, Options{})); !strings.Contains(out, marker) {
			t.Errorf("%s does not say the run was incomplete (%q)", format, marker)
		}
		if out := string(render(t, format, fixture(), Options{})); strings.Contains(out, marker) {
			t.Errorf("%s says a complete run was incomplete", format)
		}
	}
}
