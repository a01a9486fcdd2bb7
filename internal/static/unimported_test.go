//go:build cgo

package static

import (
	"context"
	"strings"
	"testing"
)

// TestUnimportedBlueprintReason: a blueprint whose module no import and
// no string of the project names is "never registered" because its
// module never runs, and the reason says so. Another shape than the
// batch-5 member it came from (a top-level auth.py next to a package):
// a module in a subpackage, beside one imported relatively (registered)
// and one a string names (a loader may import it: the reason does not
// say it never runs).
func TestUnimportedBlueprintReason(t *testing.T) {
	dir := t.TempDir()
	bp := func(name string) string {
		return "from flask import Blueprint\n\n" + name + " = Blueprint(\"" + name + "\", __name__)\n\n\n@" + name + ".route(\"/" + name + "\")\ndef view():\n    return \"" + name + "\"\n"
	}
	writeTree(t, dir, map[string]string{
		"shop/__init__.py":       "from flask import Flask\n\nfrom .views import live\n\nEXTRA_VIEWS = [\"shop.views.loaded\"]  # read by a deploy tool\n\napp = Flask(__name__)\napp.register_blueprint(live.live)\n",
		"shop/views/__init__.py": "",
		"shop/views/live.py":     bp("live"),
		"shop/views/legacy.py":   bp("legacy"),
		"shop/views/loaded.py":   bp("loaded"),
	})
	proj, _, err := Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range proj.Decls() {
		if !d.Resolved {
			got[d.File] = d.Reason
		} else {
			got[d.File] = "resolved"
		}
	}
	if got["shop/views/live.py"] != "resolved" {
		t.Errorf("live: %q", got["shop/views/live.py"])
	}
	want := "its module shop/views/legacy.py is imported by no module of the project and named by no string in it (run as a script at most): nothing registers the blueprint"
	if !strings.Contains(got["shop/views/legacy.py"], want) {
		t.Errorf("legacy: %q, want it to contain %q", got["shop/views/legacy.py"], want)
	}
	if r := got["shop/views/loaded.py"]; strings.Contains(r, "imported by no module") {
		t.Errorf("loaded (named by a string): %q", r)
	}
}
