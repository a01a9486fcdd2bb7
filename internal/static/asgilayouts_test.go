//go:build cgo

package static

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// asgiRoutes lists the routes of main.py's app as FastAPI or Starlette
// serve them: mounts walked with their path, one "METHOD path" a method
// (Starlette's Route adds HEAD to GET; the model, as Flask's lister,
// leaves HEAD and OPTIONS out unless the code names them). FastAPI's own
// documentation routes are left out, as Flask's static route is.
const asgiRoutes = `
import importlib, sys
sys.path.insert(0, ".")
from starlette.routing import Mount, Route
m = importlib.import_module("main")
def walk(routes, pre):
    for r in routes:
        if isinstance(r, Mount):
            walk(r.routes, pre + r.path)
        elif isinstance(r, Route) or hasattr(r, "methods"):
            if r.methods is None or getattr(r.endpoint, "__module__", "") == "fastapi.applications":
                continue  # FastAPI's own /docs, /redoc and /openapi.json
            for meth in sorted(r.methods):
                if meth == "HEAD" and "GET" in r.methods and type(r).__module__.startswith("starlette"):
                    continue
                print(meth, pre + r.path)
walk(m.app.routes, "")
`

// TestASGILayouts: each layout whose entry is main.py (FastAPI,
// Starlette) is also imported with the real framework from Debian's
// python3-fastapi (installed by make deps), whose routes must be
// routes.txt, as Flask's url_map must be for the Flask layouts.
func TestASGILayouts(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the layouts with the real framework")
	}
	dirs, _ := filepath.Glob("testdata/layouts/*/main.py")
	if len(dirs) < 2 {
		t.Fatalf("want at least 2 ASGI layouts, found %d", len(dirs))
	}
	for _, entry := range dirs {
		dir := filepath.Dir(entry)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			cmd := exec.Command("/usr/bin/python3", "-B", "-c", asgiRoutes)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("importing main.py with /usr/bin/python3 (make deps installs python3-fastapi): %v\n%s", err, out)
			}
			have := pairs(strings.Fields(string(out)))
			want := readLines(t, filepath.Join(dir, "routes.txt"))
			if strings.Join(have, "\n") != strings.Join(want, "\n") {
				t.Errorf("the framework's routes\n  %s\ndiffer from routes.txt\n  %s", strings.Join(have, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}
