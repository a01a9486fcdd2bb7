package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// shapeLabs are the labs whose tokens do not travel as "Authorization:
// Bearer": each has a GET that changes state and counts its calls at GET
// /__lab/status. TestLabs scans each twice plainly (the findings must be
// the same) and once with --source, and then checks the GET was never
// called.
var shapeLabs = []string{"conduit", "conduit-secure", "xtoken", "xtoken-secure", "cookiejwt", "cookiejwt-secure"}

// checkStateChangingGETs: after every scan of a shape lab (TestLabs), the
// state-changing GET its spec lists must never have been called.
func checkStateChangingGETs(t *testing.T, lab *labtest.Lab) {
	t.Helper()
	calls := labCalls(t, lab.URL)
	if len(calls) == 0 {
		t.Fatal("the lab reports no counters")
	}
	for k, n := range calls {
		if n != 0 {
			t.Errorf("%s = %d: the scan called the state-changing GET without opt-in", k, n)
		}
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
