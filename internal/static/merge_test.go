//go:build cgo

package static

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

// TestOneFindingPerCause: an admin route without auth served under two
// methods and two mounts is one finding with four instances; a finding in
// example code is kept at low weight.
func TestOneFindingPerCause(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"app.py": `from flask import Flask, Blueprint

app = Flask(__name__)
admin = Blueprint("admin", __name__)


@admin.route("/admin/users", methods=["GET", "POST"])
def users():
    return []


app.register_blueprint(admin, url_prefix="/v1")
app.register_blueprint(admin, url_prefix="/v2", name="admin_v2")
`,
		// An example app's hardcoded SECRET_KEY (a finding with its
		// evidence: the config key is its sink) is kept at low weight.
		"examples/demo.py": `from flask import Flask

demo = Flask(__name__)
demo.config["SECRET_KEY"] = "Jx8rT2vQ9mLw4ZpK7sNc3YbH6gFd1AeU"
`,
	}
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_, fs, err := Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var missing, example []finding.Finding
	for _, f := range fs {
		switch f.Rule {
		case "py.route-missing-auth":
			missing = append(missing, f)
		case "py.flask-hardcoded-secret-key":
			example = append(example, f)
		}
	}
	if len(missing) != 1 || len(missing[0].Instances) != 4 {
		t.Fatalf("route-missing-auth: %d findings, want 1 with 4 instances: %+v", len(missing), missing)
	}
	var eps []string
	for _, in := range missing[0].Instances {
		eps = append(eps, in.Endpoint.String())
	}
	if got := strings.Join(eps, " "); !strings.Contains(got, "POST /v2/admin/users") || !strings.Contains(got, "GET /v1/admin/users") {
		t.Fatalf("instances %s", got)
	}
	if len(example) != 1 || example[0].Severity != finding.Low || !strings.HasSuffix(example[0].Message, "(example code)") {
		t.Fatalf("example finding %+v", example)
	}
}
