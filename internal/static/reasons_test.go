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
// objects (a FastAPI router, a project subclass of chalice.Chalice, the
// project's own small HTTP server) are not Flask registrations: not
// counted among Decls, listed by OtherDecls with why. A router of a
// library the analysis does not know stays a lost Flask registration,
// and the Flask routes next to them are placed.
func TestOtherFrameworks(t *testing.T) {
	dir := t.TempDir()
	src := `import chalice
from fastapi import APIRouter
from flask import Flask
from somelib import Router

app = Flask(__name__)
router = APIRouter(prefix="/v2")
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
		31: "a class of fastapi (fastapi.APIRouter)",
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
