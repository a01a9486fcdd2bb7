//go:build cgo

package static

import (
	"context"
	"fmt"
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

// TestLoaderAttrReason: a receiver that is a class attribute only a
// loader sets at run time (on the class it is handed) names the loader's
// assignment and why its classes cannot be listed, whether the loader
// uses setattr or an attribute assignment, and whether the view module
// aliases the attribute or decorates with it directly.
func TestLoaderAttrReason(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"loader.py": `from flask import Blueprint


def mount(app, plugin):
    plugin.bp = Blueprint(plugin.name, __name__)
    app.register_blueprint(plugin.bp, url_prefix="/plugins/" + plugin.name)


def attach(app, cls):
    setattr(cls, "panel", Blueprint(cls.name + "_panel", __name__))
    app.register_blueprint(cls.panel)
`,
		"weather.py": `class Weather:
    name = "weather"


@Weather.bp.route("/now")
def now():
    return "sunny"


panel = Weather.panel


@panel.route("/panel")
def show():
    return "panel"
`,
	}
	for rel, src := range files {
		if err := os.WriteFile(filepath.Join(dir, rel), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	proj, _, err := Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		5:  "the receiver Weather.bp is attribute bp of class Weather, never set to a known app, blueprint or Api in the source: a loader sets it at run time (plugin.bp = Blueprint(plugin.name, __name__) at loader.py:5, plugin a parameter of mount(), which no project code calls by name",
		13: "the receiver panel is bound to Weather.panel, which does not resolve to an app, blueprint or Api: a loader sets that attribute at run time (setattr(cls, \"panel\", Blueprint(cls.name + \"_panel\", __name_… at loader.py:10, cls a parameter of attach(), which no project code calls by name",
	}
	for _, d := range proj.Decls() {
		w, ok := want[d.Line]
		if !ok || d.File != "weather.py" {
			continue
		}
		delete(want, d.Line)
		if d.Resolved || !strings.HasPrefix(d.Reason, w) {
			t.Errorf("weather.py:%d resolved %v reason\n  %q\nwant\n  %q", d.Line, d.Resolved, d.Reason, w)
		}
	}
	for line, w := range want {
		t.Errorf("weather.py:%d not declared (want %q)", line, w)
	}
}

// TestOtherFrameworks: route-like registrations on another framework's
// objects (a Litestar router, a project subclass of chalice.Chalice, the
// project's own small HTTP server) are not Flask registrations: not
// counted among Decls, listed by OtherDecls with why. A router of a
// library the analysis does not know stays a lost Flask registration,
// and the Flask routes next to them are placed.
func TestOtherFrameworks(t *testing.T) {
	dir := t.TempDir()
	src := `import chalice
from litestar import Router as LRouter
from flask import Flask
from somelib import Router

app = Flask(__name__)
router = LRouter(path="/v2")
unknown = Router()


class Lambda(chalice.Chalice):
    pass


class MiniServer(object):
    def route(self, path):
        def wrap(fn):
            return fn
        return wrap


lam = Lambda(app_name="x")
mini = MiniServer()


@app.route("/flask")
def flask_view():
    return "f"


@router.get("/items")
def items():
    return []


@lam.route("/lambda")
def lambda_view():
    return "l"


@mini.route("/status")
def status():
    return "ok"


@unknown.get("/maybe")
def maybe():
    return "?"
`
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	proj, _, err := Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var counted []string
	for _, d := range proj.Decls() {
		counted = append(counted, fmt.Sprintf("%d:%v", d.Line, d.Resolved))
	}
	if strings.Join(counted, " ") != "26:true 46:false" {
		t.Errorf("Flask registrations %q, want the Flask route and the unknown library's", counted)
	}
	want := map[int]string{
		31: "a class of litestar (litestar.Router)",
		36: "a project subclass of chalice.Chalice (chalice)",
		41: "the project's own class MiniServer, which is not Flask and defines route() itself",
	}
	for _, d := range proj.OtherDecls() {
		if w := want[d.Line]; w == "" || !strings.HasPrefix(d.Reason, "not a Flask registration") || !strings.Contains(d.Reason, w) {
			t.Errorf("app.py:%d: %q, want %q", d.Line, d.Reason, w)
		}
		delete(want, d.Line)
	}
	for line, w := range want {
		t.Errorf("app.py:%d not listed as another framework's (%s)", line, w)
	}
}

// TestImportedNameIsNoLoader: a register_blueprint of a name reached
// through an import the model cannot resolve (a module outside the tree)
// names one blueprint: the project's unregistered blueprint is not taken
// as registered by it (at its url_prefix), while a loop over discovered
// modules still is a loader.
func TestImportedNameIsNoLoader(t *testing.T) {
	for name, reg := range map[string]string{
		"imported": "import vendor_plugins.views as v\napp.register_blueprint(v.bp, url_prefix=\"/plugins\")\n",
		"loader":   "import importlib\nfor mod in discover():\n    app.register_blueprint(importlib.import_module(mod).bp)\n",
	} {
		dir := t.TempDir()
		src := "from flask import Blueprint, Flask\n\napp = Flask(__name__)\nreports = Blueprint(\"reports\", __name__)\n\n\n" +
			"@reports.route(\"/daily\")\ndef daily():\n    return {}\n\n\n" + reg
		if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		proj, _, err := Analyze(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range proj.Decls() {
			got = append(got, fmt.Sprintf("%d resolved=%v assumed=%v", d.Line, d.Resolved, d.Assumed != ""))
		}
		want := map[string]string{"imported": "7 resolved=false assumed=false", "loader": "7 resolved=true assumed=true"}[name]
		if strings.Join(got, " ") != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

// TestThirdPartyBlueprintReason: a blueprint never registered is not
// blamed on a register_blueprint call that passes an extension's own
// blueprint (imported from a module outside the project, here through
// functools.partial); a call passing a project value it cannot resolve
// still is.
func TestThirdPartyBlueprintReason(t *testing.T) {
	for _, c := range []struct {
		name, reg, want string
	}{
		{"foreign", "from functools import partial\nfrom flask_admin_ui import admin_ui\n\nreg = partial(app.register_blueprint, admin_ui, url_prefix=\"/admin\")\nreg()\n",
			"blueprint reports is never registered on an app; its module pkg/reports.py is imported by no module of the project and named by no string in it (run as a script at most): nothing registers the blueprint; every call it cannot resolve passes a third-party blueprint (flask_admin_ui.admin_ui)"},
		{"project", "from functools import partial\nfrom pkg.loader import admin_ui\n\nreg = partial(app.register_blueprint, admin_ui, url_prefix=\"/admin\")\nreg()\n",
			"blueprint reports is never registered on an app; 2 register_blueprint call(s) in its tree pass a blueprint or app the analysis cannot resolve, e.g. pkg/__init__.py:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{
				"pkg/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n" + c.reg,
				"pkg/loader.py":   "admin_ui = make_admin()\n",
				"pkg/reports.py":  "from flask import Blueprint\n\nreports = Blueprint(\"reports\", __name__)\n\n\n@reports.route(\"/r\")\ndef r():\n    return \"r\"\n",
			}
			for rel, src := range files {
				p := filepath.Join(dir, filepath.FromSlash(rel))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			proj, _, err := Analyze(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			seen := false
			for _, d := range proj.Decls() {
				if d.File != "pkg/reports.py" {
					continue
				}
				seen = true
				if d.Resolved || !strings.HasPrefix(d.Reason, c.want) {
					t.Errorf("%s:%d resolved %v reason %q, want %q", d.File, d.Line, d.Resolved, d.Reason, c.want)
				}
			}
			if !seen {
				t.Error("the route of pkg/reports.py is not among the registrations")
			}
		})
	}
}
