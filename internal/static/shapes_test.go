//go:build cgo

package static

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// shapeNames is the small pool every generated statement draws from, so
// that names are defined from each other across modules densely.
var shapeNames = []string{"a", "b", "app", "bp", "api", "C", "f", "PREFIX"}

// shapeStmts are statement templates: imports at any scope (relative,
// aliased, star, TYPE_CHECKING, re-exports through the package), names
// built from names, calls into project functions, partials, classes and
// instances holding apps, loops over modules, import_module, and every
// kind of registration. {n} {m} {k} are a name, a module and another
// name.
var shapeStmts = []string{
	"from pkg.{m} import {n}",
	"from .{m} import {n}, {k}",
	"from pkg import {n}",
	"from pkg.{m} import *",
	"import pkg.{m} as {n}",
	"from . import {m}",
	"if TYPE_CHECKING:\n    from pkg.{m} import {n}",
	"{n} = {k}",
	"{n} = {m}.{k}",
	"{n} = {k} + '/x'",
	"{n} = f'{{{k}}}/y'",
	"{n} = '%s/z' % {k}",
	"{n} = '/'.join([{k}, {n}])",
	"{n} = {k}({n})",
	"{n} = {k}.{n}",
	"{n} = functools.partial({k}, {n})",
	"{n} = Flask({k})",
	"{n} = Blueprint({k}, __name__, url_prefix={n})",
	"{n} = Api({k}, prefix={n})",
	"{n} = create_app({k})",
	"def {n}(x={k}):\n    return {k}(x)",
	"def create_app(c={n}):\n    {k} = Flask(c)\n    {k}.register_blueprint({m}.{n}, url_prefix={k})\n    return {k}",
	"def setup({n}, base={k}):\n    {n}.add_url_rule(base + '/s', view_func={k})\n    setup({k}, base)",
	"class {n}({k}):\n    {k} = {n}\n    def __init__(self, {k}={n}):\n        self.app = self.{k}\n        self.app.route({k})(self.{n})",
	"{n} = {k}()\n{n}.app.register_blueprint({n}.bp)",
	"@{n}.route({k})\ndef view_{n}():\n    return {k}",
	"@{n}.route({k} + '/r')\nclass R_{n}({k}):\n    pass",
	"{n}.register_blueprint({k}, url_prefix={n})",
	"{n}.add_resource({k}, {n}, '/{m}')",
	"for {n} in [{m}, {k}, {n}]:\n    app.register_blueprint({n}.make({k}))",
	"importlib.import_module('pkg.' + {k}).setup({n}, {k})",
	"{n}.{k} = {k}",
	"__all__ = ['{n}', '{k}']",
}

// shapeProject writes one generated package of nmods modules under dir.
func shapeProject(t *testing.T, rng *rand.Rand, dir string, nmods int) {
	t.Helper()
	mods := make([]string, nmods)
	for i := range mods {
		mods[i] = fmt.Sprintf("m%d", i)
	}
	pick := func(xs []string) string { return xs[rng.Intn(len(xs))] }
	write := func(rel, src string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	body := func(n int) string {
		var b strings.Builder
		b.WriteString("import functools\nimport importlib\nfrom typing import TYPE_CHECKING\nfrom flask import Flask, Blueprint\nfrom flask_restful import Api\n")
		for range n {
			s := pick(shapeStmts)
			s = strings.NewReplacer("{n}", pick(shapeNames), "{k}", pick(shapeNames), "{m}", pick(mods)).Replace(s)
			b.WriteString(s + "\n")
		}
		return b.String()
	}
	write("pkg/__init__.py", body(4))
	for _, m := range mods {
		write("pkg/"+m+".py", body(6+rng.Intn(6)))
	}
	write("wsgi.py", "from pkg import create_app, app\napplication = create_app(app)\n")
}

// TestGeneratedShapesEnd builds the model of many generated projects
// whose names, imports, classes and registrations lead back to each
// other in every combination of the shapes above. Whatever the shape:
// no stack overflow (the small stack makes one fail fast; it would kill
// the process), no panic (the model would say "stopped early"), and the
// analysis returns.
func TestGeneratedShapesEnd(t *testing.T) {
	defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
	rng := rand.New(rand.NewSource(18))
	n := 120
	if testing.Short() {
		n = 20
	}
	for i := range n {
		dir := t.TempDir()
		shapeProject(t, rng, dir, 2+rng.Intn(4))
		proj, _, err := Analyze(context.Background(), dir)
		if err != nil {
			t.Fatalf("project %d: %v", i, err)
		}
		for _, w := range proj.Warnings {
			if strings.Contains(w, "stopped early") {
				src, _ := os.ReadFile(filepath.Join(dir, "pkg", "m0.py"))
				t.Fatalf("project %d: %s\npkg/m0.py:\n%s", i, w, src)
			}
		}
	}
}
