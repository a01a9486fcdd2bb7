//go:build cgo

package static

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/authprobe/authprobe/internal/static/flask"
)

// genProject writes a Flask project of files modules with handlers views
// each (about 12 lines per view) and returns its directory and line count.
func genProject(b *testing.B, files, views int) (string, int) {
	b.Helper()
	dir := b.TempDir()
	var app strings.Builder
	app.WriteString("from flask import Flask\n\napp = Flask(__name__)\n")
	lines := 3
	for i := 0; i < files; i++ {
		var m strings.Builder
		fmt.Fprintf(&m, `import os
from functools import wraps

import jwt
from flask import Blueprint, abort, jsonify, request

bp%[1]d = Blueprint("bp%[1]d", __name__, url_prefix="/m%[1]d")
SECRET = os.environ["JWT_SECRET"]
KEYS = [k for k in os.environ.get("API_KEYS", "").split(",") if k]


def require_%[1]d(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            request.claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"require": ["exp"]})
        except jwt.InvalidTokenError:
            abort(401)
        return view(*args, **kwargs)

    return wrapper

`, i)
		for v := 0; v < views; v++ {
			fmt.Fprintf(&m, `
@bp%[1]d.route("/items%[2]d/<int:item_id>", methods=["GET", "PUT"])
@require_%[1]d
def item_%[2]d(item_id):
    data = {"id": item_id, "view": %[2]d, "tags": ["a", "b"]}
    total = 0
    for k in range(10):
        total += k * item_id
    if total > 100 and request.args.get("verbose"):
        data["total"] = total
    return jsonify(data)

`, i, v)
		}
		src := m.String()
		lines += strings.Count(src, "\n")
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("mod%d.py", i)), []byte(src), 0o600); err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(&app, "from mod%[1]d import bp%[1]d\napp.register_blueprint(bp%[1]d)\n", i)
		lines += 2
	}
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(app.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	return dir, lines
}

// BenchmarkAnalyze100k analyses a generated 100k-line project (parse,
// model, rules); "1cpu" pins GOMAXPROCS to one core.
func BenchmarkAnalyze100k(b *testing.B) {
	dir, lines := genProject(b, 200, 41)
	files := 201
	for _, procs := range []int{1, runtime.NumCPU()} {
		b.Run(fmt.Sprintf("%dcpu", procs), func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			var routes int
			cpu0 := cpuTime(b)
			for b.Loop() {
				proj, fs, err := Analyze(context.Background(), dir)
				if err != nil {
					b.Fatal(err)
				}
				if len(fs) != 0 {
					b.Fatalf("generated clean project has %d findings, first %s", len(fs), fs[0].Rule)
				}
				routes = len(proj.Routes)
			}
			if routes != 200*41 {
				b.Fatalf("%d routes, want %d", routes, 200*41)
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(lines)/sec, "lines/s")
			b.ReportMetric(float64(files)/sec, "files/s")
			b.ReportMetric(float64(lines), "lines")
			// CPU seconds per run: the wall clock on a shared machine
			// includes other processes' time slices.
			b.ReportMetric((cpuTime(b)-cpu0)/float64(b.N), "cpu-s/op")
		})
	}
}

// cpuTime is the process's user+system CPU time in seconds.
func cpuTime(b *testing.B) float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// BenchmarkModelRules100k is BenchmarkAnalyze100k without the parse: the
// files are parsed once, then each run builds the model and runs the rules
// on them (CPU seconds of each, the parse being most of the run and the
// part these two do not change; comparing builds of the model or the
// rules with it is less noisy than comparing whole runs).
func BenchmarkModelRules100k(b *testing.B) {
	dir, lines := genProject(b, 200, 41)
	paths, _, _, err := sourceFiles(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	files, _, err := ParseFiles(context.Background(), dir, paths)
	if err != nil {
		b.Fatal(err)
	}
	read := func(rel string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel))) }
	var model, rules float64
	for b.Loop() {
		for _, f := range files {
			f.Scopes = nil // the model's per-function cache: built afresh each run
		}
		c0 := cpuTime(b)
		proj := flask.BuildWith(files, read)
		c1 := cpuTime(b)
		if fs := Check(proj); len(fs) != 0 || len(proj.Routes) != 200*41 {
			b.Fatalf("%d findings, %d routes", len(fs), len(proj.Routes))
		}
		model, rules = model+c1-c0, rules+cpuTime(b)-c1
	}
	b.ReportMetric(model/float64(b.N), "model-cpu-s/op")
	b.ReportMetric(rules/float64(b.N), "rules-cpu-s/op")
	b.ReportMetric(float64(lines)/((model+rules)/float64(b.N)), "lines/cpu-s")
}
