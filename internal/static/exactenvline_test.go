//go:build cgo

package static

import (
	"context"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/static/exact"
)

// TestExactEnvOnLine: a config class evaluated at import that fails on an
// unset variable's default (os.getenv("FEATURE_FLAG", False).lower(),
// int(os.environ.get("POOL"))) gets each variable the failing line reads
// set to a placeholder (a number when int() refuses the word), and the
// result names them; with --no-stubs (the twin) the import fails on the
// first one.
func TestExactEnvOnLine(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process (make test runs exact mode)")
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"settings.py": "import os\n\n\nclass Settings:\n    FEATURE_FLAG = os.getenv(\"AUTHPROBE_T_FEATURE_FLAG\", False).lower() in (\"1\", \"true\")\n    POOL = int(os.environ.get(\"AUTHPROBE_T_POOL_NAME\"))\n",
		"app.py":      "from flask import Flask\n\nfrom settings import Settings\n\napp = Flask(__name__)\napp.config.from_object(Settings)\n\n\n@app.route(\"/pool\")\ndef pool():\n    return str(app.config[\"POOL\"])\n",
	})
	inv, err := exact.Import(context.Background(), dir, exact.Options{Python: labtest.Python})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if rs := inv.Served(); len(rs) != 1 || rs[0].Rule != "/pool" {
		t.Fatalf("rules %+v", rs)
	}
	got := strings.Join(inv.EnvSet, " ")
	if got != "AUTHPROBE_T_FEATURE_FLAG AUTHPROBE_T_POOL_NAME" {
		t.Errorf("environment set %q", got)
	}
	if _, err := exact.Import(context.Background(), dir, exact.Options{Python: labtest.Python, NoStubs: true}); err == nil || !strings.Contains(err.Error(), "'bool' object has no attribute 'lower'") {
		t.Errorf("twin without stand-ins: %v", err)
	}
}
