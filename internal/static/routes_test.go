//go:build cgo

package static

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// flaskRoutes imports the project's app module with the real Flask and
// lists "METHOD rule" for every URL rule but Flask's own static route.
const flaskRoutes = `
import importlib, sys
sys.path.insert(0, ".")
m = importlib.import_module("app")
app = getattr(m, "app", None) or m.create_app()
def walk(routes, pre):  # an ASGI app (a FastAPI lab): its routes, mounts walked
    from starlette.routing import Mount
    for r in routes:
        if isinstance(r, Mount):
            walk(r.routes, pre + r.path)
        elif getattr(r, "methods", None) and getattr(r.endpoint, "__module__", "") != "fastapi.applications":
            for meth in sorted(set(r.methods) - {"HEAD", "OPTIONS"}):
                print(meth, pre + r.path)
if not hasattr(app, "url_map"):
    walk(app.routes, "")
for r in app.url_map.iter_rules() if hasattr(app, "url_map") else ():
    if r.endpoint == "static" or getattr(r, "build_only", False):
        continue  # Flask's static files; a rule that only builds URLs is never matched
    for meth in sorted(r.methods - {"HEAD", "OPTIONS"}):
        print(meth, r.rule)
`

// appDirs are the projects whose routes Flask itself can list: fixtures
// with an app.py and every lab.
func appDirs(t *testing.T) []string {
	var dirs []string
	for _, pattern := range []string{"testdata/fixtures/*/app.py", "../../labs/*/app.py"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m {
			if filepath.Base(filepath.Dir(p)) == "broken" { // a syntax error Python cannot import
				continue
			}
			dirs = append(dirs, filepath.Dir(p))
		}
	}
	return dirs
}

// TestRoutesMatchFlask compares the route inventory with app.url_map (a
// FastAPI lab's app.routes).
func TestRoutesMatchFlask(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process (make test compares with Flask)")
	}
	dirs := appDirs(t)
	if len(dirs) < 3 {
		t.Fatalf("only %d app directories found", len(dirs))
	}
	py := newFlaskLister(t, "SECRET_KEY=test-secret-key-0123456789abcdef", "JWT_SECRET=test-jwt-secret-0123456789abcdef",
		"JWT_SECRET_KEY=test-jwt-secret-0123456789abcdef", "API_KEYS=k1,k2")
	for _, dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			out, err := py.run(dir, flaskRoutes)
			if err != nil {
				t.Fatalf("importing the app with /usr/bin/python3 failed (run make deps): %v\n%s", err, out)
			}
			want := strings.Fields(strings.ReplaceAll(string(out), " ", "\t"))
			wantSet := pairs(want)
			proj, _, err := Analyze(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			var have []string
			for _, r := range proj.Routes {
				for _, m := range r.Methods {
					have = append(have, m+" "+r.Rule)
				}
			}
			sort.Strings(have)
			if strings.Join(have, "\n") != strings.Join(wantSet, "\n") {
				t.Errorf("routes differ from Flask's url_map\nauthprobe:\n  %s\nflask:\n  %s", strings.Join(have, "\n  "), strings.Join(wantSet, "\n  "))
			}
		})
	}
}

func pairs(fields []string) []string {
	var out []string
	for i := 0; i+1 < len(fields); i += 2 {
		out = append(out, fields[i]+" "+fields[i+1])
	}
	sort.Strings(out)
	return out
}
