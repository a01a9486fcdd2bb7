package cli

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

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
			proof := ""
			if f.Evidence != nil {
				proof = f.Evidence.Proof
			}
			t.Errorf("unexpected: %s (%s) — %s [%s]", k, f.Severity, f.Message, proof)
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
