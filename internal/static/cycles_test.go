//go:build cgo

package static

import (
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// cyclicTrees are sources whose names lead back to themselves. Each one
// recursed without end in an evaluator before it was bounded (a stack
// overflow kills the process: no recover). The analysis must finish.
var cyclicTrees = map[string]map[string]string{
	// A TYPE_CHECKING import of the module's own class through its
	// package, which re-exports the class from the module.
	"type-checking-reexport": {
		"pkg/__init__.py":        "from flask import Flask\napp = Flask(__name__)\nfrom pkg.models import *\nfrom pkg import views\n",
		"pkg/models/__init__.py": "from .thing import Thing\n",
		"pkg/models/thing.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.models import Thing\n\n\n" +
			"class Thing:\n    name = 'thing'\n",
		"pkg/views.py": "from pkg import app\nfrom pkg.models import Thing\n\n\n@app.route('/things')\ndef things():\n" +
			"    return {'kind': Thing.name, 'x': Thing}\n",
	},
	// Two settings modules importing a rule prefix from each other.
	"mutual-settings-import": {
		"app.py": "from flask import Flask\nfrom settings import PREFIX\n\napp = Flask(__name__)\n\n\n" +
			"@app.route(PREFIX + '/health')\ndef health():\n    return 'ok'\n",
		"settings.py": "from defaults import PREFIX\n",
		"defaults.py": "from settings import PREFIX\n",
	},
	// Module-level bindings to calls of each other (Module.Qualify) and
	// local names assigned from each other (the rules' name chases).
	"assignment-cycles": {
		"app.py": `import jwt
from flask import Flask, request
from flask_jwt_extended import create_access_token

app = Flask(__name__)
client = factory()
factory = client()


@app.route("/ping")
def ping():
    return client.get()


@app.route("/login", methods=["POST"])
def login():
    delta = span
    span = delta
    return create_access_token(identity=1, expires_delta=delta)


@app.route("/check")
def check():
    algs = chosen
    chosen = algs
    return jwt.decode(request.headers["Authorization"], "k", algorithms=algs, leeway=algs)


@app.route("/kid")
def kid():
    q = r
    r = q
    return db.execute(q)
`,
	},
}

func TestCyclicNamesEnd(t *testing.T) {
	// A regression overflows a small stack fast instead of growing 1 GB.
	defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
	for name, files := range cyclicTrees {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			for rel, src := range files {
				if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, rel), []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			proj, _, err := Analyze(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int{"type-checking-reexport": 1, "mutual-settings-import": 0, "assignment-cycles": 4}[name]
			if len(proj.Routes) != want {
				t.Errorf("%d routes, want %d", len(proj.Routes), want)
			}
			for _, r := range proj.Routes {
				if strings.Contains(r.Path, "PREFIX") {
					t.Errorf("a cyclic name was taken as a path: %s", r.Path)
				}
			}
		})
	}
}
