package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// shapeLabs are the labs whose tokens do not travel as "Authorization:
// Bearer": each has a GET that changes state and counts its calls at GET
// /__lab/status.
var shapeLabs = []string{"conduit", "conduit-secure", "xtoken", "xtoken-secure", "cookiejwt", "cookiejwt-secure"}

// TestShapeLabsRepeatable scans each lab three times in a row: the
// findings must be identical each time, and the state-changing GET that
// the lab's spec lists must never have been called.
func TestShapeLabsRepeatable(t *testing.T) {
	schema := resultSchema(t)
	for _, name := range shapeLabs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			lab := labtest.Start(t, name)
			var first []string
			for run := 1; run <= 3; run++ {
				res := scanLab(t, lab, schema)
				got := findingKeys(res)
				if run == 1 {
					first = got
					if len(lab.Manifest.Expect) > 0 && len(got) == 0 {
						t.Fatal("the vulnerable lab yielded nothing")
					}
					continue
				}
				if strings.Join(got, "\n") != strings.Join(first, "\n") {
					t.Errorf("scan %d differs from scan 1:\n got %q\nwant %q", run, got, first)
				}
			}
			calls := labCalls(t, lab.URL)
			if len(calls) == 0 {
				t.Fatal("the lab reports no counters")
			}
			for k, n := range calls {
				if n != 0 {
					t.Errorf("%s = %d: the scan called the state-changing GET without opt-in", k, n)
				}
			}
		})
	}
}

func findingKeys(res *report.Result) []string {
	var out []string
	for _, f := range res.Findings {
		ep := ""
		if f.Endpoint != nil {
			ep = f.Endpoint.String()
		}
		out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s", f.Rule, ep, f.Identity, f.Severity, f.Confidence))
	}
	sort.Strings(out)
	return out
}

func labCalls(t *testing.T, base string) map[string]int {
	t.Helper()
	resp, err := http.Get(base + "/__lab/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var out map[string]int
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("/__lab/status: %v: %s", err, body)
	}
	return out
}
