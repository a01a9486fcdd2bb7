package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/source"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

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
