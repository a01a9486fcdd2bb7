package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
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
