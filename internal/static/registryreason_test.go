//go:build cgo

package static

import (
	"context"
	"testing"
)

// TestRegistryHelperReason: a registration helper that loops over what
// the object passed in returns (controller.routes()) is named for that,
// and the controller class's own endpoint decorators (a factory storing
// its rule on the function, read back with getattr) are named with it.
// Another shape than the batch-5 member it came from (a metaclass-built
// list, self.register): a module function helper, a keyword decorator
// argument, a classmethod collecting with getattr; its twin, a class
// whose routes() builds a list without such decorators, is named for the
// loop only.
func TestRegistryHelperReason(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"web/marks.py": `def action(rule, verbs=("GET",)):
    def mark(fn):
        fn.url_rule = rule
        fn.verbs = verbs
        return fn
    return mark


def cached(seconds):
    def mark(fn):
        fn.ttl = seconds
        return fn
    return mark
`,
		"web/controllers.py": `from web.marks import action, cached


class Controller:
    @classmethod
    def routes(cls):
        out = []
        for name in dir(cls):
            fn = getattr(cls, name)
            rule = getattr(fn, "url_rule", None)
            if rule:
                out.append((rule, fn, getattr(fn, "verbs", ("GET",))))
        return out


class Orders(Controller):
    @action("/orders")
    @cached(30)
    def index(self):
        return "[]"

    @action(rule="/orders/<int:oid>", verbs=("DELETE",))
    def remove(self, oid):
        return "", 204


class Plain:
    def routes(self):
        return [("/plain", lambda: "p", ("GET",))]
`,
		"app.py": `from flask import Flask

from web.controllers import Orders, Plain

app = Flask(__name__)


def mount(target, controller):
    for rule, view, verbs in controller.routes():
        target.add_url_rule(rule, view.__name__, view, methods=list(verbs))


mount(app, Orders())
mount(app, Plain())
`,
	})
	proj, _, err := Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		13: "this call of mount() gives a rule the analysis cannot compute (`rule`): the loop list `controller.routes()` is not a constant; Orders's methods carry the project's own endpoint decorators @action, which store their rule on the function for the class to collect",
		14: "this call of mount() gives a rule the analysis cannot compute (`rule`): the loop list `controller.routes()` is not a constant",
	}
	for _, d := range proj.Decls() {
		if d.File != "app.py" {
			continue
		}
		w, ok := want[d.Line]
		if !ok {
			continue
		}
		delete(want, d.Line)
		if d.Resolved || d.Reason != w {
			t.Errorf("app.py:%d resolved %v reason\n  %q\nwant\n  %q", d.Line, d.Resolved, d.Reason, w)
		}
	}
	for line := range want {
		t.Errorf("app.py:%d: no declaration", line)
	}
}
