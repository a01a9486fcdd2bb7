//go:build cgo

package static

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/static/exact"
	"github.com/authprobe/authprobe/internal/static/flask"
)

// inventory is "METHOD rule policy" per route and method, sorted.
func inventory(p *flask.Project) []string {
	var out []string
	for _, r := range p.Routes {
		for _, m := range r.Methods {
			out = append(out, m+" "+r.Rule+" "+r.Policy)
		}
	}
	sort.Strings(out)
	return out
}

// TestExactMatchesStatic imports every bundled layout with an app.py
// through exact mode (the real Flask under /usr/bin/python3) and compares
// its inventory with the static one: the same routes with the same
// policies, nothing Flask serves left unplaced, no static route Flask
// does not serve, and the same findings.
func TestExactMatchesStatic(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process (make test runs exact mode)")
	}
	apps, err := filepath.Glob("testdata/layouts/*/app.py")
	if err != nil {
		t.Fatal(err)
	}
	// The layouts run side by side (each waits mostly on its own Python
	// import); the group ends when the last has.
	var imported atomic.Int32
	t.Run("layouts", func(t *testing.T) {
		for _, a := range apps {
			exactMatchesStatic(t, filepath.Dir(a), &imported)
		}
	})
	if imported.Load() < 2 {
		t.Fatalf("exact mode imported %d bundled layouts, want at least 2", imported.Load())
	}
}

// exactMatchesStatic is TestExactMatchesStatic on one layout, in a
// parallel subtest.
func exactMatchesStatic(t *testing.T, dir string, imported *atomic.Int32) {
	t.Run(filepath.Base(dir), func(t *testing.T) {
		t.Parallel()
		static, sfs, err := Analyze(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		ex, efs, err := AnalyzeWith(context.Background(), dir, Options{Import: &exact.Options{Python: labtest.Python}})
		if err != nil {
			t.Fatal(err)
		}
		if ex.Mode != "exact" {
			t.Fatalf("exact mode did not import the app (run make deps): %s", ex.ModeNote)
		}
		imported.Add(1)
		if s, e := inventory(static), inventory(ex); strings.Join(s, "\n") != strings.Join(e, "\n") {
			t.Errorf("static inventory\n  %s\nexact inventory\n  %s", strings.Join(s, "\n  "), strings.Join(e, "\n  "))
		}
		for _, np := range append(ex.NotPlaced, ex.Dropped...) {
			t.Errorf("%s %s at %s:%d: %s", np.Method, np.Rule, np.File, np.Line, np.Reason)
		}
		if s, e := got(sfs, finding.Low), got(efs, finding.Low); len(s) != len(e) {
			t.Errorf("findings differ: static %v, exact %v", s, e)
		}
	})
}

// TestExactReport checks what the helper reports beyond rules: the view's
// line, hooks with the decorators that wrap them, and config settings by
// length and entropy, never by value.
func TestExactReport(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process (make test runs exact mode)")
	}
	dir := "testdata/layouts/hookdecorator"
	inv, err := exact.Import(context.Background(), dir, exact.Options{Python: labtest.Python})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Target != "app:app" || len(inv.Served()) == 0 {
		t.Fatalf("target %q, %d rules", inv.Target, len(inv.Served()))
	}
	hooked := false
	for _, h := range inv.Hooks {
		if h.Blueprint == "admin" && len(h.Wrappers) > 0 && h.File != "" && h.Line > 0 {
			hooked = true
		}
	}
	if !hooked {
		t.Errorf("no wrapped admin hook in %+v", inv.Hooks)
	}
	secret, _ := os.ReadFile(filepath.Join(dir, "app.py"))
	for _, s := range inv.Config {
		if s.Key == "SECRET_KEY" {
			if !s.Set || s.Length == 0 || s.EntropyBits == 0 || s.Value != nil {
				t.Errorf("SECRET_KEY reported as %+v", s)
			}
			return
		}
	}
	t.Errorf("SECRET_KEY not reported (app.py %d bytes)", len(secret))
}

// TestExactFallback: a directory with no importable app says why and the
// analysis stays static.
func TestExactFallback(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process (make test runs exact mode)")
	}
	// A missing third-party module with stubbing off, and a missing
	// module of the project's own package (never stubbed).
	for _, c := range []struct{ src, missing string }{
		{"import no_such_module_here\n", "no_such_module_here"},
		{"import shop.no_such_module_here\n", "shop.no_such_module_here"},
	} {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "shop"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "shop", "__init__.py"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		p, _, err := AnalyzeWith(context.Background(), dir, Options{Import: &exact.Options{Python: labtest.Python, NoStubs: !strings.Contains(c.missing, ".")}})
		if err != nil {
			t.Fatal(err)
		}
		if p.Mode != "static" || !strings.Contains(p.ModeNote, c.missing) || !strings.Contains(p.ModeNote, "app.py:1") || len(p.Stubbed) > 0 {
			t.Fatalf("mode %q note %q stubbed %q", p.Mode, p.ModeNote, p.Stubbed)
		}
	}
}

// TestExactStubs: third-party modules the interpreter lacks are stubbed
// and named; the app imports with the views' own code and lines (a stub
// decorator hands its function back), a class subclassing a stub keeps
// its methods, and the routes match the static model's.
func TestExactStubs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process (make test runs exact mode)")
	}
	dir := "testdata/exactstub"
	p, _, err := AnalyzeWith(context.Background(), dir, Options{Import: &exact.Options{Python: labtest.Python}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Mode != "exact" || strings.Join(p.Stubbed, " ") != "authprobe_absent_ext authprobe_absent_lib" ||
		!strings.Contains(p.ModeNote, "exact (stubbed: 2 modules") {
		t.Fatalf("mode %q note %q stubbed %q", p.Mode, p.ModeNote, p.Stubbed)
	}
	var have []string
	for _, r := range p.Routes {
		for _, m := range r.Methods {
			have = append(have, fmt.Sprintf("%s %s %s:%d", m, r.Rule, r.File, r.Line))
		}
	}
	sort.Strings(have)
	want := "GET /items app.py:28 GET /items/<int:item_id> shop/views.py:14 POST /items app.py:28 PUT /items/<int:item_id> shop/views.py:19"
	if strings.Join(have, " ") != want {
		t.Errorf("routes %q, want %q", have, want)
	}
	for _, np := range append(p.NotPlaced, p.Dropped...) {
		t.Errorf("%s %s at %s:%d: %s", np.Method, np.Rule, np.File, np.Line, np.Reason)
	}
	inv, err := exact.Import(context.Background(), dir, exact.Options{Python: labtest.Python, NoStubs: true})
	if err == nil || !strings.Contains(err.Error(), "authprobe_absent_") || len(inv.Stubbed) > 0 {
		t.Fatalf("without stubs: %v", err)
	}
}

// TestExactTimeout: an app whose import never ends is stopped at the time
// limit, and the run says which module it was importing.
func TestExactTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process (make test runs exact mode)")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte("import time\ntime.sleep(600)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := exact.Import(context.Background(), dir, exact.Options{Python: labtest.Python, Timeout: 2 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "importing app took longer than 2s") {
		t.Fatalf("err %v", err)
	}
}

// TestExactServeAtImport: an app that calls app.run() at module level is
// stopped where it would serve, and its routes are still read.
func TestExactServeAtImport(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process (make test runs exact mode)")
	}
	dir := t.TempDir()
	src := "from flask import Flask\napp = Flask(__name__)\n\n\n@app.route(\"/x\")\ndef x():\n    return \"x\"\n\n\napp.run()\n"
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	inv, err := exact.Import(context.Background(), dir, exact.Options{Python: labtest.Python})
	if err != nil {
		t.Fatal(err)
	}
	if rs := inv.Served(); inv.Target != "app:app" || len(rs) != 1 || rs[0].Rule != "/x" || rs[0].Line != 5 {
		t.Fatalf("target %q, rules %+v", inv.Target, rs)
	}
}

// TestExactFactoryArgs: MODULE:create_app('testing') calls the factory
// with literal arguments, as Flask's own CLI reads FLASK_APP; found by
// itself, a factory that requires an argument is called with the guesses
// in turn (None fails here, 'default' builds the app), and the target says
// which call made the app.
func TestExactFactoryArgs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process (make test runs exact mode)")
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "shop"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := "from flask import Flask\n\n\ndef create_app(config):\n    app = Flask(__name__)\n    app.add_url_rule(\"/\" + config, config, lambda: config)\n    return app\n"
	if err := os.WriteFile(filepath.Join(dir, "shop", "__init__.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	inv, err := exact.Import(context.Background(), dir, exact.Options{Python: labtest.Python, Target: "shop:create_app('testing')"})
	if err != nil {
		t.Fatal(err)
	}
	if rs := inv.Served(); len(rs) != 1 || rs[0].Rule != "/testing" {
		t.Fatalf("rules %+v", rs)
	}
	inv, err = exact.Import(context.Background(), dir, exact.Options{Python: labtest.Python})
	if err != nil {
		t.Fatalf("auto import: %v", err)
	}
	if rs := inv.Served(); inv.Target != "shop:create_app('default')" || len(rs) != 1 || rs[0].Rule != "/default" {
		t.Fatalf("auto import: target %q, rules %+v", inv.Target, rs)
	}
}
