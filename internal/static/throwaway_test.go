//go:build cgo

package static

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestThrowawayApps: a blueprint registered on an app a function makes
// only to look at (never returned, passed, stored or run) is not served
// there; an app the function returns, runs, passes or makes global keeps
// its blueprints.
func TestThrowawayApps(t *testing.T) {
	dir := t.TempDir()
	src := `import flask

bp = flask.Blueprint("bp", __name__)


@bp.get("/x")
def x():
    return "x"


def rules():
    tmp = flask.Flask("tmp")
    tmp.register_blueprint(bp, url_prefix="/scratch")
    return [r.rule for r in tmp.url_map.iter_rules()]


def factory():
    made = flask.Flask(__name__)
    made.register_blueprint(bp, url_prefix="/returned")
    return made


def main():
    dev = flask.Flask("dev")
    dev.register_blueprint(bp, url_prefix="/run")
    dev.run()


def wrapped():
    inner = flask.Flask("inner")
    inner.register_blueprint(bp, url_prefix="/passed")
    return Middleware(inner)


def publish():
    global shared
    shared = flask.Flask("shared")
    shared.register_blueprint(bp, url_prefix="/global")
`
	if err := os.WriteFile(filepath.Join(dir, "svc.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	proj, _, err := Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, r := range proj.Routes {
		have = append(have, r.Rule)
	}
	sort.Strings(have)
	want := "/global/x /passed/x /returned/x /run/x"
	if got := strings.Join(have, " "); got != want {
		t.Errorf("routes %q, want %q (the scratch app serves nothing)", got, want)
	}
}
