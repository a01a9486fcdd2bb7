package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/drift"
	"github.com/authprobe/authprobe/internal/fleet"
	"github.com/authprobe/authprobe/internal/report"
)

// checkFleetResult checks one lab target's summary line and result file.
func checkFleetResult(t *testing.T, out string, l fleet.Line, lab fleetTarget) {
	t.Helper()
	res, err := report.ReadJSON(filepath.Join(out, lab.name+".json"))
	if err != nil {
		t.Errorf("%s: no result: %v (summary: %+v)", lab.name, err, l)
		return
	}
	if _, err := os.Stat(filepath.Join(out, lab.name+".sarif")); err != nil {
		t.Errorf("%s: --target-formats sarif: %v", lab.name, err)
	}
	if res.Target != lab.url {
		t.Errorf("%s: result for %s, want %s", lab.name, res.Target, lab.url)
	}
	// One finding per root cause: the drifted gate is one finding whose
	// instances are its two routes.
	var got []string
	for _, f := range res.Findings {
		var places []string
		for _, in := range f.Instances {
			if in.Endpoint != nil {
				places = append(places, in.Endpoint.String())
			}
		}
		if len(places) == 0 && f.Endpoint != nil {
			places = append(places, f.Endpoint.String())
		}
		sort.Strings(places)
		got = append(got, f.Rule+" "+strings.Join(places, " + "))
	}
	sort.Strings(got)
	want, exit, critical := "", ExitOK, 0
	if lab.drifted {
		want, exit, critical = "jwt.signature-not-verified GET /api/reports + GET /api/reports/export", ExitFindings, 1
	}
	if strings.Join(got, ", ") != want {
		t.Errorf("%s: findings %v, want [%s]", lab.name, got, want)
	}
	if l.Exit != exit || l.Result != lab.name+".json" || l.Error != "" || l.Findings["critical"] != critical || l.Score == nil || l.Endpoints != 6 {
		t.Errorf("%s: summary line %+v; want exit %d, %d critical, 6 endpoints, a score and no error", lab.name, l, exit, critical)
	}
}

// driftedRoutes lists the endpoints of a compare JSON report.
func driftedRoutes(t *testing.T, path string) string {
	t.Helper()
	r := readJSON[drift.Report](t, path)
	var eps []string
	for _, e := range r.Drift {
		eps = append(eps, e.Endpoint.String())
	}
	return strings.Join(eps, ", ")
}

// mergedFindings lists "target rule endpoint fingerprint" of a merged JSON.
func mergedFindings(t *testing.T, path string) string {
	t.Helper()
	m := readJSON[report.Merged](t, path)
	var lines []string
	for _, n := range m.Results {
		lines = append(lines, n.Name+" result "+n.Result.Target)
		for _, f := range n.Result.Findings {
			ep := ""
			if f.Endpoint != nil {
				ep = f.Endpoint.String()
			}
			lines = append(lines, fmt.Sprintf("%s %s %s %s", n.Name, f.Rule, ep, f.Fingerprint))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// readJSON decodes the JSON file at path.
func readJSON[T any](t *testing.T, path string) T {
	t.Helper()
	var v T
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}
