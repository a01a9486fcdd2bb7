package static

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Vendored trees: a project may carry copies of its dependencies (bazarr's
// libs/ holds flask, flask_restx, werkzeug and a hundred more, installed
// with pip --target). Their code is not the project's: its routes, apps
// and secrets would be counted as the project's, and a copy of Flask
// defines a Flask class the project's apps are then taken for. A folder
// is vendored when what it holds says so, never by its name:
//   - it holds installed distributions: two or more *.dist-info folders
//     (pip install --target writes one per package; an editable install
//     writes an .egg-info, which is not counted);
//   - it holds a copy of Flask itself: a flask/ package whose app.py
//     defines class Flask.

// vendoredReason says why the directory abs holds vendored code, or "".
func vendoredReason(abs string) string {
	entries, err := os.ReadDir(abs)
	if err != nil {
		return ""
	}
	dists := 0
	for _, e := range entries {
		if e.IsDir() && strings.HasSuffix(e.Name(), ".dist-info") {
			dists++
		}
	}
	if dists >= 2 {
		return strconv.Itoa(dists) + " installed distributions (*.dist-info)"
	}
	if src, err := os.ReadFile(filepath.Join(abs, "flask", "app.py")); err == nil && bytes.Contains(src, []byte("\nclass Flask(")) {
		if _, err := os.Stat(filepath.Join(abs, "flask", "__init__.py")); err == nil {
			return "a copy of Flask: flask/app.py defines class Flask"
		}
	}
	return ""
}
