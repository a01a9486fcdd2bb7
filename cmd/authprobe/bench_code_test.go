package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// genTree writes a Flask project of about lines lines: an app factory,
// blueprints with decorated views, a route helper, a before_request gate,
// and a tests/ directory a tenth of the size. It returns the line count.
func genTree(b *testing.B, dir string, lines int) int {
	b.Helper()
	total := 0
	write := func(rel, src string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			b.Fatal(err)
		}
		total += strings.Count(src, "\n")
	}
	var factory strings.Builder
	factory.WriteString("from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n")
	for i := 0; total < lines*9/10; i++ {
		var m strings.Builder
		fmt.Fprintf(&m, "import hmac\nimport os\n\nfrom flask import Blueprint, abort, jsonify, request\n\n"+
			"bp = Blueprint(\"m%[1]d\", __name__)\nKEY = os.environ.get(\"API_KEY_%[1]d\", \"\")\n\n\n"+
			"@bp.before_request\ndef gate():\n    if request.endpoint in (\"m%[1]d.health\",):\n        return\n"+
			"    if not hmac.compare_digest(request.headers.get(\"X-API-Key\", \"\"), KEY):\n        abort(401)\n\n\n"+
			"def register(api, base):\n    api.add_url_rule(base + \"/extra\", \"extra\", health)\n\n\n"+
			"@bp.route(\"/health\")\ndef health():\n    return {\"ok\": True}\n", i)
		for v := 0; v < 80; v++ {
			fmt.Fprintf(&m, "\n\n@bp.route(\"/items%[1]d/<int:item_id>\", methods=[\"GET\", \"PUT\"])\ndef item_%[1]d(item_id):\n"+
				"    data = {\"id\": item_id, \"view\": %[1]d}\n    total = 0\n    for k in range(10):\n        total += k * item_id\n"+
				"    if total > 100 and request.args.get(\"verbose\"):\n        data[\"total\"] = total\n    return jsonify(data)\n", v)
		}
		write(fmt.Sprintf("svc/m%d.py", i), m.String())
		fmt.Fprintf(&factory, "    from svc import m%[1]d\n    app.register_blueprint(m%[1]d.bp, url_prefix=\"/m%[1]d\")\n    m%[1]d.register(app, \"/x%[1]d\")\n", i)
	}
	factory.WriteString("    return app\n")
	write("svc/__init__.py", factory.String())
	for i := 0; total < lines; i++ {
		var t strings.Builder
		t.WriteString("from svc import create_app\n\n")
		for v := 0; v < 60; v++ {
			fmt.Fprintf(&t, "\ndef test_item_%[1]d():\n    client = create_app().test_client()\n    assert client.get(\"/m0/items%[1]d/1\").status_code == 401\n", v)
		}
		write(fmt.Sprintf("tests/test_m%d.py", i), t.String())
	}
	return total
}

// BenchmarkCode250k: `authprobe code --include-tests` on a generated
// 250k-line tree, tests included, in a subprocess: peak RSS (target at
// most 300 MB) and lines per CPU second (target at least 100k).
func BenchmarkCode250k(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "authprobe")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	dir := b.TempDir()
	lines := genTree(b, dir, 250_000)
	out := filepath.Join(b.TempDir(), "r.json")
	for range b.N {
		cmd := exec.Command(bin, "code", dir, "--include-tests", "-q", "--format", "json", "-o", out, "--fail-on", "none")
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("code: %v\n%s", err, msg)
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		cpu := float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
		b.ReportMetric(float64(ru.Maxrss)/1024, "peakRSS-MB")
		b.ReportMetric(cpu, "cpu-s/op")
		b.ReportMetric(float64(lines)/cpu, "lines/cpu-s")
		b.ReportMetric(float64(lines), "lines")
	}
}
