package static

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVendoredTrees: folders of installed distributions and copies of
// Flask are left out with a note (and analysed with IncludeVendored); an
// editable install's .egg-info and a single .dist-info leave the project's
// own code in.
func TestVendoredTrees(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("app.py", "from flask import Flask\napp = Flask(__name__)\n")
	write("libs/flask_restx/api.py", "class Api: pass\n")
	write("libs/flask_restx-1.3.0.dist-info/RECORD", "")
	write("libs/werkzeug-3.0.6.dist-info/RECORD", "")
	write("third_party/flask/__init__.py", "from .app import Flask\n")
	write("third_party/flask/app.py", "import os\n\nclass Flask(object):\n    pass\n")
	write("src/myproj.egg-info/PKG-INFO", "")
	write("src/myproj/views.py", "def index(): pass\n")
	write("tools/only-1.0.dist-info/RECORD", "")
	write("tools/helper.py", "x = 1\n")

	files, skipped, _, err := sourceFiles(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, f := range files {
		r, _ := filepath.Rel(dir, f)
		rel = append(rel, filepath.ToSlash(r))
	}
	want := "app.py src/myproj/views.py tools/helper.py"
	if got := strings.Join(rel, " "); got != want {
		t.Errorf("files %q, want %q", got, want)
	}
	notes := strings.Join(skipped, "\n")
	for _, w := range []string{"libs/: vendored third-party code (2 installed distributions", "third_party/: vendored third-party code (a copy of Flask"} {
		if !strings.Contains(notes, w) {
			t.Errorf("skipped notes lack %q:\n%s", w, notes)
		}
	}
	files, _, _, err = sourceFiles(dir, Options{IncludeVendored: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 6 {
		t.Errorf("with IncludeVendored: %d files, want 6 (%v)", len(files), files)
	}
}
