package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/source"
)

// TestLabs scans every lab once plainly and once with --source, on one
// lab process:
//
//   - the plain scan's findings at severity low or above must be the lab's
//     manifest: nothing missing, nothing extra (checkManifest);
//   - the --source scan must find every expectation pinned to its cause line
//     (checkSource);
//   - a secure twin yields nothing, and at most 10% of its answers were
//     inconclusive, so that "nothing" means tested and held (checkHonest);
//   - a lab with a state-changing GET (shapeLabs) is scanned plainly a
//     second time: the findings must be the same, and the GET never called;
//   - every result validates against docs/result.schema.json.
//
// Labs whose findings are proven by answer timing (timingLabs) run in
// TestLabsTimingSensitive instead, alone.
func TestLabs(t *testing.T) {
	t.Parallel()
	names, err := labtest.Names()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no labs found")
	}
	for _, name := range names {
		if timingLabs[name] {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testLab(t, name)
		})
	}
}

// timingLabs hold findings proven by how long answers take (enumeration
// by timing): they are scanned one at a time, not beside other tests, and
// with one request in flight (timingArgs), so that the scan's own other
// requests do not queue beside the timed ones in the lab.
var timingLabs = map[string]bool{"lifecycle": true, "lifecycle-secure": true}

// timingArgs are the extra scan flags of timingLabs.
var timingArgs = []string{"--concurrency", "1"}

// labArgs are the flags a lab's manifest asks for (args:, where {dir} is
// the lab's folder), and timingArgs for a timing lab.
func labArgs(lab *labtest.Lab) []string {
	args := lab.Args()
	if timingLabs[lab.Name] {
		args = append(args, timingArgs...)
	}
	return args
}

// TestLabsTimingSensitive is TestLabs for timingLabs. It is not parallel:
// go test runs it before any parallel test of the package resumes.
func TestLabsTimingSensitive(t *testing.T) {
	for name := range timingLabs {
		if _, err := labtest.Load(name); err != nil {
			t.Fatalf("timing-sensitive lab %s: %v", name, err)
		}
	}
	for _, name := range sorted(keys(timingLabs)) {
		t.Run(name, func(t *testing.T) { testLab(t, name) })
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// labHook is a further test of one lab that reads its plain scan (the
// result and, in dir, every output: result.json, .sarif, .html, .md, .xml,
// .txt and transcript.jsonl) instead of scanning the lab again. TestLabs
// runs it as a subtest, on the same lab process.
type labHook struct {
	name string
	run  func(t *testing.T, lab *labtest.Lab, res *report.Result, dir string)
}

// labHooks are the hooks per lab name, registered by the test files that
// own them.
var labHooks = map[string][]labHook{}

// testLab is TestLabs for one lab.
func testLab(t *testing.T, name string) {
	schema := resultSchema(t)
	lab := labtest.Start(t, name)
	res, dir := scanLab(t, lab, schema)
	checkManifest(t, lab, res)
	checkHonest(t, lab, res, dir)
	logRequests(t, res)
	for _, h := range labHooks[name] {
		t.Run(h.name, func(t *testing.T) { h.run(t, lab, res, dir) })
	}
	if slices.Contains(shapeLabs, name) {
		again, _ := scanLab(t, lab, schema)
		if got, want := findingKeys(again), findingKeys(res); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("a second scan differs from the first:\n got %q\nwant %q", got, want)
		}
	}
	t.Run("source", func(t *testing.T) { checkSource(t, lab, schema) })
	if slices.Contains(shapeLabs, name) {
		checkStateChangingGETs(t, lab)
	}
}

// checkManifest compares a plain scan's findings at severity low or above
// with the lab's manifest: nothing missing, nothing extra.
func checkManifest(t *testing.T, lab *labtest.Lab, res *report.Result) {
	t.Helper()
	implemented := map[string]bool{}
	for _, c := range engine.Registry() {
		for _, r := range c.Rules {
			implemented[r] = true
		}
	}
	want := map[string]labtest.Expectation{}
	for _, e := range lab.Manifest.Expect {
		if !implemented[e.Rule] {
			t.Errorf("manifest expects %s, but no registered check reports %s", e, e.Rule)
			continue
		}
		want[expectKey(e.Rule, e.Endpoint, e.Identity)] = e
	}
	got := map[string]finding.Finding{}
	for _, f := range res.Findings {
		if f.Severity.Rank() < finding.Low.Rank() {
			continue
		}
		ep := ""
		if f.Endpoint != nil {
			ep = f.Endpoint.String()
		}
		id := ""
		if f.Endpoint == nil {
			id = f.Identity
		}
		got[expectKey(f.Rule, ep, id)] = f
	}
	for k, e := range want {
		f, ok := got[k]
		if !ok {
			t.Errorf("missing: %s", e)
			continue
		}
		if !contains(f.CWE, e.CWE) {
			t.Errorf("%s: finding carries %v, want %s", e, f.CWE, e.CWE)
		}
		if have, exp := places(f), strings.Join(sorted(e.Places()), ", "); have != exp {
			t.Errorf("%s: seen at\n  %s\nwant\n  %s", e, have, exp)
		}
	}
	for k, f := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected: %s (%s) — %s [%s]", k, f.Severity, f.Message, f.Evidence.Proof)
		}
	}
}

// maxInconclusive is the share of a secure twin's answers that may be
// inconclusive: a 429, a 5xx or no answer at all.
const maxInconclusive = 0.10

// maxUnclearCells is the share of a secure twin's auth-matrix cells the
// oracle may judge inconclusive, the same bar as for answers (the 422
// flask-jwt-extended gives a malformed token is read as the refusal its
// calibration shows it is).
const maxUnclearCells = 0.10

// checkHonest: a secure twin's "no findings" must come from answers, not
// from throttling or errors: at most maxInconclusive of the requests in
// its transcript got a 429, a 5xx or no answer, and at most
// maxUnclearCells of its auth-matrix cells are inconclusive.
func checkHonest(t *testing.T, lab *labtest.Lab, res *report.Result, dir string) {
	t.Helper()
	if len(lab.Manifest.Expect) > 0 {
		return
	}
	data, err := os.ReadFile(filepath.Join(dir, "transcript.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var sent, bad int
	why := map[string]int{}
	var entries []httpx.Entry
	anon := map[string]int{} // URL path → status of its anonymous request
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var e httpx.Entry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("transcript line %q: %v", line, err)
		}
		entries = append(entries, e)
		if e.Identity == "anonymous" && e.Method == http.MethodGet {
			anon[urlPath(e.URL)] = e.Status
		}
	}
	for _, e := range entries {
		sent++
		switch {
		case e.Status == 0:
			bad++
			why["no answer"]++
		case e.Status == 429:
			bad++
			why["429"]++
		case e.Status >= 500 && refusedWith5xx(res, urlPath(e.URL), anon, e.Status):
			// The endpoint refuses with this server error (Flask-RESTful
			// without PROPAGATE_EXCEPTIONS): the scan read it as its
			// refusal, so the answer is a verdict.
		case e.Status >= 500:
			bad++
			why["5xx"]++
		}
	}
	if sent == 0 || float64(bad) > maxInconclusive*float64(sent) {
		t.Errorf("secure twin: %d of %d answers inconclusive (%v), more than %.0f%%: no findings is not \"tested and held\"", bad, sent, why, 100*maxInconclusive)
	}
	var cells, unclear int
	for _, e := range res.Endpoints {
		for _, v := range e.Matrix {
			cells++
			if v == "inconclusive" {
				unclear++
			}
		}
	}
	if float64(unclear) > maxUnclearCells*float64(cells) {
		t.Errorf("secure twin: %d of %d auth-matrix cells inconclusive, more than %.0f%%", unclear, cells, 100*maxUnclearCells)
	}
	t.Logf("secure twin: %d of %d answers inconclusive %v; %d of %d matrix cells", bad, sent, why, unclear, cells)
}

// places renders where a finding was seen, as a manifest lists it.
func places(f finding.Finding) string {
	var out []string
	for _, in := range f.Places() {
		if in.Endpoint != nil {
			out = append(out, in.Endpoint.String())
		} else {
			out = append(out, in.Identity)
		}
	}
	return strings.Join(sorted(out), ", ")
}

func sorted(list []string) []string {
	out := append([]string(nil), list...)
	sort.Strings(out)
	return out
}

func expectKey(rule, endpoint, id string) string {
	return rule + " @ " + endpoint + " #" + id
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// scanLab runs the scan command on a lab as a user would (with the test
// scan flags) and returns the JSON result, validated against the schema,
// and the directory of every output (result.*, transcript.jsonl).
func scanLab(t *testing.T, lab *labtest.Lab, schema *jsonschema.Schema) (*report.Result, string) {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "result.json")
	var stdout, stderr bytes.Buffer
	args := append([]string{"scan", lab.URL, "-c", lab.Config(), "--fail-on", "none", "--no-color"}, everyOutput(dir)...)
	code := Run(context.Background(), labtest.ScanArgs(append(args, labArgs(lab)...)), nil, &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("scan exit %d: %s", code, stderr.String())
	}
	assertNoSecrets(t, lab, lab.Config(), dir, stdout.String(), stderr.String())
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Fatalf("result does not validate against docs/result.schema.json: %v", err)
	}
	var res report.Result
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if res.Stats.Requests == 0 || res.Incomplete {
		t.Fatalf("stats %+v incomplete %v", res.Stats, res.Incomplete)
	}
	return &res, dir
}

func resultSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	root, err := labtest.Root()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(filepath.Dir(root), "docs", "result.schema.json")
	c := jsonschema.NewCompiler()
	s, err := c.Compile(path)
	if err != nil {
		t.Fatalf("compile %s: %v", path, err)
	}
	return s
}

func logRequests(t *testing.T, res *report.Result) {
	var parts []string
	for _, e := range res.Endpoints {
		parts = append(parts, fmt.Sprintf("%s %s=%d", e.Method, e.Path, e.Requests))
	}
	sort.Strings(parts)
	t.Logf("%d requests over %d endpoints in %d ms; per endpoint: %s", res.Stats.Requests, res.Stats.Endpoints, res.Stats.DurationMS, strings.Join(parts, ", "))
}

// checkSource: scan --source with no endpoint list and no spec takes the
// routes from the lab's code, finds every dynamic expectation of its
// manifest, pins each to the line its manifest names as the cause, and
// merges static twins into it. A secure twin yields nothing, honestly.
func checkSource(t *testing.T, lab *labtest.Lab, schema *jsonschema.Schema) {
	cfg := configWithoutEndpoints(t, lab)
	dir := t.TempDir()
	out := filepath.Join(dir, "result.json")
	var stdout, stderr bytes.Buffer
	args := append([]string{"scan", lab.URL, "-c", cfg, "--source", lab.Dir, "--fail-on", "none", "--no-color"}, everyOutput(dir)...)
	code := Run(context.Background(), labtest.ScanArgs(append(args, labArgs(lab)...)), nil, &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("scan exit %d: %s", code, stderr.String())
	}
	assertNoSecrets(t, lab, cfg, dir, stdout.String(), stderr.String())
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err := schema.Validate(doc); err != nil {
		t.Fatalf("result does not validate: %v", err)
	}
	var res report.Result
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	// With the source, a finding is a rule on a cause line: the
	// manifest's findings are found among their places.
	byKey := map[string]finding.Finding{}
	for _, f := range res.Findings {
		for _, in := range f.Places() {
			ep, id := "", ""
			if in.Endpoint != nil {
				ep = in.Endpoint.String()
			} else {
				id = in.Identity
			}
			if _, seen := byKey[expectKey(f.Rule, ep, id)]; !seen {
				byKey[expectKey(f.Rule, ep, id)] = f
			}
		}
	}
	for _, e := range lab.Manifest.Expect {
		f, ok := byKey[expectKey(e.Rule, e.Endpoint, e.Identity)]
		if !ok {
			t.Errorf("missing with --source: %s", e)
			continue
		}
		for _, p := range e.Places() {
			id, ep := "", p
			if !strings.Contains(p, " ") {
				id, ep = p, ""
			}
			if _, ok := byKey[expectKey(e.Rule, ep, id)]; !ok {
				t.Errorf("%s: not seen at %s with --source", e, p)
			}
		}
		if e.Cause == "" {
			t.Errorf("%s: the manifest names no cause line", e)
			continue
		}
		file, code, _ := strings.Cut(e.Cause, ": ")
		if f.Location == nil {
			t.Errorf("%s: not pinned to a line (want %s)", e, e.Cause)
			continue
		}
		line := sourceLine(t, filepath.Join(lab.Dir, f.Location.File), f.Location.Line)
		if f.Location.File != file || !strings.Contains(line, code) {
			t.Errorf("%s: pinned to %s:%d %q, want the line with %q in %s", e, f.Location.File, f.Location.Line, strings.TrimSpace(line), code, file)
		}
	}
	// One finding per weakness: a static finding that explains a
	// dynamic one on the same line must have been merged into it.
	merged := map[string][]string{}
	for _, f := range res.Findings {
		if f.Source == "both" && f.Location != nil {
			merged[f.Location.String()] = append(merged[f.Location.String()], f.Rule)
		}
	}
	for _, f := range res.Findings {
		if f.Source != "static" || f.Location == nil {
			continue
		}
		for _, dyn := range merged[f.Location.String()] {
			if source.Explains(dyn, f.Rule) {
				t.Errorf("static %s at %s was not merged into its dynamic twin %s", f.Rule, f.Location, dyn)
			}
		}
	}
	if len(lab.Manifest.Expect) == 0 {
		for _, f := range res.Findings {
			if f.Severity.Rank() >= finding.Low.Rank() && f.Suppressed == "" {
				t.Errorf("secure twin: %s at %v — %s", f.Rule, f.Location, f.Message)
			}
		}
	}
	logRequests(t, &res)
	checkHonest(t, lab, &res, dir)
}

// urlPath is a transcript URL's path.
func urlPath(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Path
	}
	return raw
}

// refusedWith5xx: the endpoint at path answered its anonymous GET with
// this very status, and the scan's auth matrix calls anonymous rejected
// there while an identity is accepted: a consistent server error is how it
// refuses.
func refusedWith5xx(res *report.Result, path string, anon map[string]int, status int) bool {
	if anon[path] != status {
		return false
	}
	for _, ep := range res.Endpoints {
		if ep.Method != http.MethodGet || !templateMatches(ep.Path, path) || ep.Matrix["anonymous"] != "rejected" {
			continue
		}
		for k, v := range ep.Matrix {
			if k != "anonymous" && v == "accepted" {
				return true
			}
		}
	}
	return false
}

// templateMatches: path is template with each {param} one segment.
func templateMatches(template, path string) bool {
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if !strings.HasPrefix(ts[i], "{") && ts[i] != ps[i] {
			return false
		}
	}
	return true
}

// configWithoutEndpoints copies a lab's config without its endpoint list
// and spec, so routes can only come from the code.
func configWithoutEndpoints(t *testing.T, lab *labtest.Lab) string {
	t.Helper()
	cfg, err := LoadConfig(lab.Config())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(lab.Config())
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	skipping := false
	for _, l := range strings.Split(string(raw), "\n") {
		top := len(l) > 0 && l[0] != ' ' && l[0] != '#'
		if top {
			skipping = strings.HasPrefix(l, "endpoints:") || strings.HasPrefix(l, "spec:")
		}
		if !skipping {
			kept = append(kept, l)
		}
	}
	p := filepath.Join(t.TempDir(), "authprobe.yaml")
	if err := os.WriteFile(p, []byte(strings.Join(kept, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	stripped, err := LoadConfig(p)
	if err != nil {
		t.Fatalf("stripped config: %v", err)
	}
	if len(stripped.Endpoints) != 0 || stripped.Spec != "" || len(stripped.Identities) != len(cfg.Identities) {
		t.Fatalf("stripping endpoints went wrong: %+v", stripped)
	}
	return p
}

func sourceLine(t *testing.T, path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}
