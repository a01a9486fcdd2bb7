//go:build cgo

package static

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRuleReasons: a rule the analysis cannot compute names the value
// that is unknown and where it comes from (each assignment followed to
// the setting read at run time), and add_url_rule(*row) says it is a
// splat; none says only "not a constant".
func TestRuleReasons(t *testing.T) {
	dir := t.TempDir()
	src := `from flask import Blueprint, Flask

app = Flask(__name__)
bp = Blueprint("pages", __name__)


def page():
    return "page"


def setup():
    ext = app.config["PAGE_EXTENSION"]
    suffix = "." + ext.lower()
    bp.add_url_rule(f"/index{suffix}", "index", page)
    for row in load_rows():
        bp.add_url_rule(*row)


setup()
app.register_blueprint(bp)
`
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	proj, _, err := Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][]string{
		14: {"`suffix` is assigned `\".\" + ext.lower()` (line 13)", "`ext` is assigned `app.config[\"PAGE_EXTENSION\"]` (line 12)", "reads a setting at run time"},
		16: {"the arguments are spread from `*row`"},
	}
	for _, d := range proj.Decls() {
		ws, ok := want[d.Line]
		if !ok {
			continue
		}
		delete(want, d.Line)
		for _, w := range ws {
			if d.Resolved || !strings.Contains(d.Reason, w) {
				t.Errorf("app.py:%d resolved %v reason %q, want it to say %q", d.Line, d.Resolved, d.Reason, w)
			}
		}
	}
	for line, w := range want {
		t.Errorf("app.py:%d not declared (want %q)", line, w)
	}
}
