//go:build cgo

package static

import (
	"context"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

// TestDotenvDebugInShippedFlaskRun: a committed dotenv file with
// FLASK_DEBUG on is what a shipped `flask run` container runs with when
// python-dotenv is installed. Another shape than the batch-6 member it
// came from (.flaskenv, `COPY . .`, exec-form CMD, requirements.txt): a
// .env with export and quotes, copied by name, a shell-form
// `python -m flask run`, python-dotenv in pyproject.toml. Twins yield
// nothing: .dockerignore leaves .env out, the command passes
// --no-debugger, python-dotenv is not installed, the Dockerfile sets
// FLASK_DEBUG itself, the value is "0".
func TestDotenvDebugInShippedFlaskRun(t *testing.T) {
	app := "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route(\"/\")\ndef index():\n    return \"ok\"\n"
	base := func() map[string]string {
		return map[string]string{
			"app.py":         app,
			".env":           "FLASK_APP=app\nexport FLASK_DEBUG=\"1\"  # local\n",
			"pyproject.toml": "[project]\nname = \"shop\"\ndependencies = [\"flask\", \"python-dotenv\"]\n",
			"Dockerfile":     "FROM python:3.11\nWORKDIR /srv\nCOPY pyproject.toml .env app.py ./\nRUN pip install .\nCMD python -m flask run --host=0.0.0.0\n",
		}
	}
	cases := map[string]struct {
		edit func(map[string]string)
		want bool
	}{
		"shipped":       {func(map[string]string) {}, true},
		"dockerignored": {func(f map[string]string) { f[".dockerignore"] = "*.pyc\n.env*\n" }, false},
		"no debugger": {func(f map[string]string) {
			f["Dockerfile"] = "FROM python:3.11\nCOPY . .\nCMD [\"flask\", \"run\", \"--no-debugger\"]\n"
		}, false},
		"no dotenv": {func(f map[string]string) {
			f["pyproject.toml"] = "[project]\nname = \"shop\"\ndependencies = [\"flask\"]\n"
		}, false},
		"env in image": {func(f map[string]string) {
			f["Dockerfile"] = "FROM python:3.11\nENV FLASK_DEBUG=0\nCOPY . .\nCMD flask run\n"
		}, false},
		"value off": {func(f map[string]string) { f[".env"] = "FLASK_DEBUG=0\n" }, false},
	}
	for name, c := range cases {
		dir := t.TempDir()
		files := base()
		c.edit(files)
		writeTree(t, dir, files)
		_, fs, err := Analyze(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range fs {
			if f.Rule == "py.flask-debug" && f.Location != nil && f.Location.File == ".env" {
				found = true
				if f.Severity.Rank() < finding.Medium.Rank() {
					t.Errorf("%s: severity %v, want medium+", name, f.Severity)
				}
			}
		}
		if found != c.want {
			t.Errorf("%s: flask-debug at .env reported %v, want %v", name, found, c.want)
		}
	}
}
