package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// aiohttpSource is an aiohttp app's source: Python, but no route of a
// framework the analysis reads (FastAPI's it does: TestFastAPIGates).
const aiohttpSource = `from aiohttp import web

routes = web.RouteTableDef()
SECRET_KEY = "change-me-please-0123456789"


@routes.get("/api/items")
async def items(request):
    return web.json_response([])
`

// TestScanSourceWithoutFlaskRoutesUsesServedSpec: --source on an app of a
// framework the analysis does not read (aiohttp) does not abort the scan: with no --spec
// and no --endpoint, the routes come from the OpenAPI document the target
// serves (labs/apikey answers /openapi.json), and the result says that the
// source had no Flask routes and where the routes came from.
func TestScanSourceWithoutFlaskRoutesUsesServedSpec(t *testing.T) {
	t.Parallel()
	lab := labtest.Start(t, "apikey")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.py"), []byte(aiohttpSource), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgText, err := os.ReadFile(lab.Config())
	if err != nil {
		t.Fatal(err)
	}
	// The lab's config names its spec file: without it, nothing but the
	// target says what the routes are.
	noSpec := regexp.MustCompile(`(?m)^spec:.*$`).ReplaceAll(cfgText, nil)
	if strings.Contains(string(noSpec), "spec:") {
		t.Fatal("config still names a spec")
	}
	cfg := filepath.Join(dir, "authprobe.yaml")
	if err := os.WriteFile(cfg, noSpec, 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "result.json")
	code, _, stderr := run("scan", lab.URL, "-c", cfg, "--source", dir, "--fail-on", "none", "-q", "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d, want 0: %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var res report.Result
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	said := false
	for _, w := range res.Warnings {
		if strings.Contains(w, "no Flask or FastAPI routes found in 1 Python file(s)") && strings.Contains(w, lab.URL+"/openapi.json") {
			said = true
		}
	}
	if !said {
		t.Errorf("warnings do not say the source had no Flask routes and the served spec was scanned: %q", res.Warnings)
	}
	if res.Stats.Endpoints < 5 {
		t.Errorf("scanned %d endpoints, want the served spec's routes", res.Stats.Endpoints)
	}
	onSpecRoute := 0
	for _, f := range res.Findings {
		if f.Endpoint != nil && strings.HasPrefix(f.Endpoint.Path, "/api/") {
			onSpecRoute++
		}
	}
	if onSpecRoute == 0 {
		t.Errorf("no finding on the served spec's routes: %d findings", len(res.Findings))
	}
}
