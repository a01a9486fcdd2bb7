//go:build cgo

package static

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnresolvedReasons: registrations the model cannot place name their
// true reason: a Flask subclass registering on self with no instance in
// the project, and a loop over a list that is not constant.
func TestUnresolvedReasons(t *testing.T) {
	dir := t.TempDir()
	src := `from flask import Flask, Blueprint


class Framework(Flask):
    def __init__(self, import_name, settings):
        super().__init__(import_name)
        self._init_rules(settings)

    def _init_rules(self, settings):
        self.add_url_rule("/schema", "schema", lambda: "schema")


bp = Blueprint("bp", __name__)


def view():
    return "x"


for rule in load_rules():
    bp.add_url_rule(rule, "r", view)
`
	if err := os.WriteFile(filepath.Join(dir, "lib.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	proj, _, err := Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		10: "the receiver self is an instance of Framework, a project subclass of the framework's app class",
		21: "the rule `rule` is not a constant: the loop list `load_rules()` is not a constant",
	}
	for _, d := range proj.Decls() {
		w, ok := want[d.Line]
		if !ok {
			continue
		}
		delete(want, d.Line)
		if d.Resolved || !strings.HasPrefix(d.Reason, w) {
			t.Errorf("lib.py:%d resolved %v reason %q, want %q", d.Line, d.Resolved, d.Reason, w)
		}
	}
	for line, w := range want {
		t.Errorf("lib.py:%d not declared (want %q)", line, w)
	}
}
