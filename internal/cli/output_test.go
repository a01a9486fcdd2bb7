package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// TestOutputStdoutAndDevices: -o - writes the JSON result to stdout in
// place of the report; -o /dev/null is accepted and stays a device; an
// output without extension that is not a device is still refused.
func TestOutputStdoutAndDevices(t *testing.T) {
	t.Parallel()
	root, err := labtest.Root()
	if err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(root, "jwt")

	code, stdout, stderr := run("code", app, "-o", "-", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("-o -: exit %d: %s", code, stderr)
	}
	var res report.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || res.Schema == "" || len(res.Findings) == 0 {
		t.Fatalf("-o -: stdout is not the JSON result (%v): %.200s", err, stdout)
	}

	file := filepath.Join(t.TempDir(), "r.json")
	code, stdout, stderr = run("code", app, "-o", "/dev/null", "-o", file, "--fail-on", "none", "-q")
	if code != ExitOK || stdout != "" {
		t.Fatalf("-o /dev/null: exit %d, stdout %q: %s", code, stdout, stderr)
	}
	if st, err := os.Stat("/dev/null"); err != nil || st.Mode().IsRegular() {
		t.Fatalf("/dev/null is no longer a device: %v %v", st.Mode(), err)
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("the other output was not written: %v", err)
	}

	code, _, stderr = run("code", app, "-o", filepath.Join(t.TempDir(), "noext"), "--fail-on", "none")
	if code != ExitUsage || !strings.Contains(stderr, "no extension") {
		t.Errorf("-o without extension: exit %d, %s", code, stderr)
	}
	code, _, stderr = run("report", fixtureJSON, "-o", "/dev/null", "--fail-on", "none")
	if code != ExitOK {
		t.Errorf("report -o /dev/null: exit %d: %s", code, stderr)
	}
}
