//go:build cgo

package static

import (
	"context"
	"testing"
)

// TestNamespacePortionShareTheAppTree: directories without __init__.py
// inside a regular package are namespace portions of it (Python imports
// shop/api/v1/orders.py as shop.api.v1.orders), so a blueprint there that
// nothing registers serves nothing: the app of the package's tree is its
// app. Another shape than the batch-6 member it came from (an app.py at
// the top, flask-smorest blueprints in resources/<name>/ portions): an
// app factory in a package, Flask blueprints two namespace levels down,
// one registered through an absolute import. Real Flask 2.2 on this tree
// serves /orders and not /legacy. The twin: a folder with no enclosing
// package (tools/demo) stays a tree of its own, its blueprint assumed
// served, and so does a directory whose name is no identifier
// (shop/cron-jobs, as batch 2's sbc-pay jobs/ftp-poller): Python cannot
// import it as a portion.
func TestNamespacePortionShareTheAppTree(t *testing.T) {
	dir := t.TempDir()
	bp := func(name string) string {
		return "from flask import Blueprint\n\n" + name + " = Blueprint(\"" + name + "\", __name__)\n\n\n@" + name + ".route(\"/" + name + "\")\ndef view():\n    return \"" + name + "\"\n"
	}
	writeTree(t, dir, map[string]string{
		"shop/__init__.py":       "from flask import Flask\n\n\ndef create_app():\n    from shop.api.v1.orders import orders\n\n    app = Flask(__name__)\n    app.register_blueprint(orders)\n    return app\n",
		"shop/api/v1/orders.py":  bp("orders"),
		"shop/api/v1/legacy.py":  bp("legacy"),
		"tools/demo/sample.py":   bp("sample"),
		"shop/cron-jobs/tick.py": bp("tick"),
	})
	proj, _, err := Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, d := range proj.Decls() {
		got[d.File] = d.Resolved
	}
	for file, want := range map[string]bool{
		"shop/api/v1/orders.py":  true,
		"shop/api/v1/legacy.py":  false, // never registered, the package has an app
		"tools/demo/sample.py":   true,  // no enclosing package, no app in its tree
		"shop/cron-jobs/tick.py": true,  // no identifier: not importable as a portion, a tree of its own
	} {
		if r, ok := got[file]; !ok || r != want {
			t.Errorf("%s: resolved %v (seen %v), want %v", file, r, ok, want)
		}
	}
}
