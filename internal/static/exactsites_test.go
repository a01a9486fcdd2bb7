//go:build cgo

package static

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/static/exact"
)

// writeTree writes files (path -> text) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for path, text := range files {
		full := filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestExactFactorySiteArgs: a factory none of the generic guesses builds
// (None and the usual config names fail) is called with the arguments the
// project's own code calls it with. Two shapes: a config name looked up
// in a dict, given by a script as an environment read's default; a
// settings class given by name in the factory's module. The target says
// which call site was used. Without the call site (the twin) the import
// fails and says why.
func TestExactFactorySiteArgs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process (make test runs exact mode)")
	}
	cases := []struct {
		name  string
		files map[string]string
		site  string // the file that calls the factory (removed in the twin)
		rule  string
		how   string
	}{
		{
			name: "dict key from a script's getenv default",
			files: map[string]string{
				"shop/__init__.py": "from flask import Flask\n\n\nclass Dev:\n    ROOT = \"/dev\"\n\n\nclass Prod:\n    ROOT = \"/production\"\n\n\nCONFIGS = {\"dev\": Dev, \"prod\": Prod}\n\n\ndef create_app(config_name):\n    cfg = CONFIGS[config_name]\n    app = Flask(__name__)\n    app.config.from_object(cfg)\n    app.add_url_rule(cfg.ROOT + \"/items\", \"items\", lambda: \"[]\")\n    return app\n",
				"tools/seed.py":    "import os\n\nfrom shop import create_app\n\napp = create_app(os.getenv(\"SHOP_CONFIG\", \"prod\"))\n",
			},
			site: "tools/seed.py",
			rule: "/production/items",
			how:  `create_app(os.getenv('SHOP_CONFIG', 'prod')) as tools/seed.py:5 calls it`,
		},
		{
			name: "settings class by name",
			files: map[string]string{
				"svc/settings.py": "class Live:\n    API_ROOT = \"/live\"\n",
				"svc/__init__.py": "from flask import Flask\n\nfrom .settings import Live\n\n\ndef make_app(settings):\n    if not isinstance(settings, type):\n        raise RuntimeError(\"settings must be a class\")\n    app = Flask(__name__)\n    app.add_url_rule(settings.API_ROOT + \"/ping\", \"ping\", lambda: \"pong\")\n    return app\n",
				"svc/__main__.py": "from svc import Live, make_app\n\nmake_app(Live).run()\n",
			},
			site: "svc/__main__.py",
			rule: "/live/ping",
			how:  "make_app(Live) as svc/__main__.py:3 calls it",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, c.files)
			inv, err := exact.Import(context.Background(), dir, exact.Options{Python: labtest.Python})
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			if rs := inv.Served(); !strings.Contains(inv.Target, c.how) || len(rs) != 1 || rs[0].Rule != c.rule {
				t.Fatalf("target %q, rules %+v; want %q serving %s", inv.Target, rs, c.how, c.rule)
			}
			// The twin: nothing in the project calls the factory.
			if err := os.Remove(filepath.Join(dir, c.site)); err != nil {
				t.Fatal(err)
			}
			if inv, err := exact.Import(context.Background(), dir, exact.Options{Python: labtest.Python}); err == nil {
				t.Fatalf("twin imported %q (%+v)", inv.Target, inv.Served())
			}
		})
	}
}
