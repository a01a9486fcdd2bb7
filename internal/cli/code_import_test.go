//go:build cgo

package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// TestCodeImport: --import takes the routes from Flask's url_map; the
// routes the static model lost are placed and each is listed with why;
// --routes says which mode it used; a target that does not import says
// why and the run stays static.
func TestCodeImport(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process (make test runs exact mode)")
	}
	dir := "testdata/exactmiss"
	code, static, _ := run("code", dir, "--routes", "--fail-on", "none")
	if code != 0 || strings.Contains(static, "/status") || !strings.Contains(static, "mode: static") {
		t.Fatalf("static run exit %d:\n%s", code, static)
	}
	code, exact, _ := run("code", dir, "--routes", "--import", "--python", labtest.Python, "--fail-on", "none")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, exact)
	}
	for _, want := range []string{"mode: exact (imported app:app", "/status", "/version", "/home",
		"app.py:9: not placed statically: GET /status (endpoint status): registered at app.py:26, which the static model did not resolve: the rule `rule` is not a constant"} {
		if !strings.Contains(exact, want) {
			t.Errorf("--import --routes lacks %q:\n%s", want, exact)
		}
	}
	_, js, _ := run("code", dir, "--import", "--python", labtest.Python, "--format", "json", "--fail-on", "none")
	var res report.Result
	if err := json.Unmarshal([]byte(js), &res); err != nil {
		t.Fatal(err)
	}
	if d := res.Diagnostics; d == nil || d.Mode != "exact" || len(d.NotPlaced) != 2 || len(res.Endpoints) != 3 {
		t.Fatalf("JSON diagnostics %+v, %d endpoints", res.Diagnostics, len(res.Endpoints))
	}
	_, fallback, errs := run("code", dir, "--routes", "--import=nosuch:app", "--python", labtest.Python, "--fail-on", "none")
	if !strings.Contains(fallback, "mode: static (exact mode: no Flask app imported") || !strings.Contains(fallback+errs, "No module named 'nosuch'") {
		t.Fatalf("fallback run:\n%s\n%s", fallback, errs)
	}
}
