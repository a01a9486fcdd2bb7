package report

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func mergeFixture() []Named {
	a, b := fixture(), fixture()
	b.Target = "http://127.0.0.1:5001"
	b.Findings = b.Findings[:1]
	return []Named{{Name: "shop-staging", Result: a}, {Name: `prod<script>alert(2)</script>`, Result: b}}
}

func renderMerged(t *testing.T, path string, rs []Named) []byte {
	t.Helper()
	w, err := MergeForPath(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w(&buf, rs, Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestMergedSARIF: one schema-valid log, one run per target, each run's
// results and fingerprints those of the target's own SARIF, and a
// category per target.
func TestMergedSARIF(t *testing.T) {
	rs := mergeFixture()
	data := renderMerged(t, "all.sarif", rs)
	if err := validateSARIF(t, sarifSchema(t), data); err != nil {
		t.Fatalf("merged SARIF fails the 2.1.0 schema: %v", err)
	}
	var log sarifLog
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != len(rs) {
		t.Fatalf("%d runs for %d targets", len(log.Runs), len(rs))
	}
	ids := map[string]bool{}
	for i, run := range log.Runs {
		var one sarifLog
		if err := json.Unmarshal(render(t, "sarif", rs[i].Result, Options{}), &one); err != nil {
			t.Fatal(err)
		}
		if got, want := fingerprints(run), fingerprints(one.Runs[0]); got != want || got == "" {
			t.Errorf("run %d: fingerprints %q, want the target's own %q", i, got, want)
		}
		id := run.AutomationDetails.ID
		if ids[id] || !strings.Contains(id, rs[i].Name) || run.Properties["target"] != rs[i].Result.Target {
			t.Errorf("run %d: automation id %q (seen before: %v), target %v", i, id, ids[id], run.Properties["target"])
		}
		ids[id] = true
	}
}

func fingerprints(run sarifRun) string {
	var fps []string
	for _, r := range run.Results {
		fps = append(fps, r.RuleID+"="+r.PartialFingerprints[FingerprintKey])
	}
	return strings.Join(fps, ",")
}

var idValue = regexp.MustCompile(`\bid="([^"]*)"`)

// TestMergedHTML: a section per target, every id unique, hostile names
// escaped, and the page clean in headless Chromium.
func TestMergedHTML(t *testing.T) {
	rs := mergeFixture()
	data := renderMerged(t, "all.html", rs)
	page := string(data)
	if n := strings.Count(page, `<section class="target"`); n != len(rs) {
		t.Errorf("%d target sections, want %d", n, len(rs))
	}
	seen := map[string]bool{}
	for _, m := range idValue.FindAllStringSubmatch(page, -1) {
		if seen[m[1]] {
			t.Errorf("id %q used twice", m[1])
		}
		seen[m[1]] = true
	}
	for _, m := range regexp.MustCompile(`href="#([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !seen[m[1]] {
			t.Errorf("link to #%s, which no element has", m[1])
		}
	}
	if strings.Count(page, "<html") != 1 || strings.Count(page, "</main>") != 1 {
		t.Error("not one page")
	}
	dom, console := chromium(t, writePage(t, "merged.html", data), "--dump-dom")
	if len(console) > 0 {
		t.Errorf("console messages:\n%s", strings.Join(console, "\n"))
	}
	d := string(dom)
	if scriptTag.MatchString(d) || !strings.Contains(d, "prod&lt;script&gt;alert(2)&lt;/script&gt;") {
		t.Error("a target name became markup")
	}
	if !strings.Contains(d, "<title>authprobe report: 2 targets</title>") || !strings.Contains(d, "shop-staging") {
		t.Error("title or table of contents missing")
	}
}

func TestMergedTextFormats(t *testing.T) {
	rs := mergeFixture()
	for _, ext := range []string{"md", "txt", "json"} {
		out := string(renderMerged(t, "all."+ext, rs))
		if !strings.Contains(out, "shop-staging") || !strings.Contains(out, "http://127.0.0.1:5001") {
			t.Errorf("%s: a target is missing:\n%.400s", ext, out)
		}
	}
	var m Merged
	if err := json.Unmarshal(renderMerged(t, "all.json", rs), &m); err != nil || m.Schema != MergeSchema || len(m.Results) != 2 ||
		len(m.Results[0].Result.Findings) != len(rs[0].Result.Findings) {
		t.Errorf("merged json: %v %+v", err, m)
	}
	if _, err := MergeForPath("all.xml"); err == nil {
		t.Error("merge accepted .xml")
	}
}
