package static

import (
	"bytes"
	"fmt"
	"github.com/authprobe/authprobe/internal/static/exact"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Options choose the files an analysis reads.
type Options struct {
	// Exclude are globs of paths (relative to the analysed directory, with
	// slashes) to leave out: a pattern without a slash matches any file or
	// directory name ("legacy", "*_pb2.py"); one with a slash matches the
	// path or a directory prefix of it ("app/vendor/*", "docs/**").
	Exclude []string
	// IncludeTests analyses test code too (left out by default).
	IncludeTests bool
	// IncludeVendored analyses vendored third-party trees too (a folder
	// of installed distributions, a copy of Flask; left out by default).
	IncludeVendored bool
	// BoundMemory sets a soft memory limit sized from the source while
	// the analysis runs (unless GOMEMLIMIT is set): the syntax trees are
	// most of the heap, and the default GC lets the heap reach twice them.
	BoundMemory bool
	// Import, when set, imports the app with the real Flask (exact mode:
	// runs the project's code) and makes its url_map the route inventory;
	// when the import fails the analysis stays static and says why.
	Import *exact.Options
}

// noSource are directories that hold no project source by construction.
var noSource = map[string]bool{".git": true, "__pycache__": true, ".mypy_cache": true,
	".pytest_cache": true, ".ruff_cache": true, ".hg": true, ".svn": true}

// dependencyDirs hold third-party code.
var dependencyDirs = map[string]string{"node_modules": "third-party packages", "site-packages": "third-party packages",
	".tox": "tox environments", ".nox": "nox environments", "venv": "a virtualenv", ".venv": "a virtualenv"}

// testDirs are directory names that hold test code.
var testDirs = map[string]bool{"tests": true, "test": true, "testing": true, "unittests": true}

// IsTestPath reports whether a slash path is test code: under a tests
// directory, or a test_*.py / *_test(s).py / conftest.py file.
func IsTestPath(rel string) bool {
	parts := strings.Split(rel, "/")
	for _, d := range parts[:len(parts)-1] {
		if testDirs[d] {
			return true
		}
	}
	base := parts[len(parts)-1]
	return base == "conftest.py" || base == "tests.py" || strings.HasPrefix(base, "test_") ||
		strings.HasSuffix(base, "_test.py") || strings.HasSuffix(base, "_tests.py")
}

// exampleDirs are directory names that hold example or documentation
// code: analysed (their routes count) but their findings weigh low.
var exampleDirs = map[string]bool{"examples": true, "example": true, "samples": true, "sample": true,
	"demo": true, "demos": true, "docs": true, "doc": true, "tutorial": true, "tutorials": true}

// IsExamplePath reports whether a slash path is example or documentation code.
func IsExamplePath(rel string) bool {
	parts := strings.Split(rel, "/")
	for _, d := range parts[:len(parts)-1] {
		if exampleDirs[d] {
			return true
		}
	}
	return false
}

// excluded reports whether rel (a file or directory) matches a pattern.
func excluded(rel string, patterns []string) (string, bool) {
	for _, pat := range patterns {
		pat = strings.TrimSuffix(filepath.ToSlash(pat), "/")
		if !strings.Contains(pat, "/") {
			if ok, _ := path.Match(pat, path.Base(rel)); ok {
				return pat, true
			}
			continue
		}
		if strings.HasSuffix(pat, "/**") && (rel == strings.TrimSuffix(pat, "/**") || strings.HasPrefix(rel, strings.TrimSuffix(pat, "**"))) {
			return pat, true
		}
		pat = strings.TrimPrefix(pat, "**/")
		for p := rel; p != "." && p != ""; p = path.Dir(p) {
			if ok, _ := path.Match(pat, p); ok {
				return pat, true
			}
		}
		for s := rel; ; {
			if ok, _ := path.Match(pat, s); ok {
				return pat, true
			}
			i := strings.IndexByte(s, '/')
			if i < 0 {
				break
			}
			s = s[i+1:]
		}
	}
	return "", false
}

// skipReason says why a directory is not walked, or "" to walk it.
func skipReason(abs, name string) string {
	if r, ok := dependencyDirs[name]; ok {
		return r
	}
	if _, err := os.Stat(filepath.Join(abs, "pyvenv.cfg")); err == nil {
		return "a virtualenv (pyvenv.cfg)"
	}
	if name == "build" {
		if st, err := os.Stat(filepath.Join(abs, "lib")); err == nil && st.IsDir() {
			return "setuptools build output (build/lib is a copy of the sources)"
		}
	}
	if strings.HasSuffix(name, ".egg-info") || strings.HasSuffix(name, ".dist-info") {
		return "package metadata"
	}
	return ""
}

// sourceFiles lists the .py files to analyse and, for everything left
// out, a line saying what and why (nothing is skipped silently), and the
// reverse-proxy configs (*.conf) and deploy and packaging files met on
// the way: they say which paths outside clients reach, how production
// starts the app and which files ship.
func sourceFiles(dir string, opts Options) ([]string, []string, []string, error) {
	var out, skipped, confs, outRel, named []string
	tests := map[string]int{} // test directory (or file) -> files left out
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if err != nil {
			if p == dir {
				return err
			}
			skipped = append(skipped, rel+": unreadable ("+err.Error()+")")
			return nil
		}
		if p == dir {
			return nil
		}
		if d.IsDir() {
			if noSource[d.Name()] {
				return filepath.SkipDir
			}
			if pat, ok := excluded(rel, opts.Exclude); ok {
				skipped = append(skipped, rel+"/: excluded by --exclude "+pat)
				return filepath.SkipDir
			}
			if r := skipReason(p, d.Name()); r != "" {
				skipped = append(skipped, rel+"/: "+r)
				return filepath.SkipDir
			}
			if r := vendoredReason(p); r != "" && !opts.IncludeVendored {
				skipped = append(skipped, rel+"/: vendored third-party code ("+r+"); --include-vendored analyses it")
				return filepath.SkipDir
			}
			return nil
		}
		if (strings.HasSuffix(d.Name(), ".conf") || DeployFile(d.Name())) && d.Type().IsRegular() && !IsTestPath(rel) {
			confs = append(confs, rel)
			if !strings.HasSuffix(d.Name(), ".py") {
				return nil
			}
		}
		if !strings.HasSuffix(d.Name(), ".py") || !d.Type().IsRegular() {
			return nil
		}
		if pat, ok := excluded(rel, opts.Exclude); ok {
			skipped = append(skipped, rel+": excluded by --exclude "+pat)
			return nil
		}
		if !opts.IncludeTests && IsTestPath(rel) {
			if underTestDir(rel) {
				tests[testRoot(rel)]++
			} else {
				named = append(named, rel)
			}
			return nil
		}
		out = append(out, p)
		outRel = append(outRel, rel)
		return nil
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("walk %s: %w", dir, err)
	}
	// A file named like a test but imported by the app is the app's code.
	kept := testNamedAppCode(named, outRel, readUnder(dir))
	for _, rel := range named {
		if _, ok := kept[rel]; ok {
			out = append(out, filepath.Join(dir, filepath.FromSlash(rel)))
		} else {
			tests[testRoot(rel)]++
		}
	}
	for root, n := range tests {
		skipped = append(skipped, fmt.Sprintf("%s: test code, %d file(s) left out (--include-tests analyses them)", root, n))
	}
	sort.Strings(out)
	sort.Strings(skipped)
	sort.Strings(confs)
	return out, skipped, confs, nil
}

// testRoot is the outermost test directory of a test path (with a
// trailing slash), or the file itself.
func testRoot(rel string) string {
	parts := strings.Split(rel, "/")
	for i, d := range parts[:len(parts)-1] {
		if testDirs[d] {
			return strings.Join(parts[:i+1], "/") + "/"
		}
	}
	return rel
}

// DeployFile: a file that says how the project is deployed or packaged
// (container recipes, process files, compose files, server configs,
// packaging metadata, start scripts).
func DeployFile(name string) bool {
	l := strings.ToLower(name)
	switch l {
	case "procfile", "containerfile", "setup.py", "setup.cfg", "pyproject.toml", "manifest.in", "app.yaml":
		return true
	}
	return strings.HasPrefix(l, "dockerfile") || strings.HasSuffix(l, ".dockerfile") ||
		(strings.HasPrefix(l, "docker-compose") || strings.HasPrefix(l, "compose")) && (strings.HasSuffix(l, ".yml") || strings.HasSuffix(l, ".yaml")) ||
		strings.HasPrefix(l, "uwsgi") && strings.HasSuffix(l, ".ini") || strings.HasSuffix(l, ".sh") ||
		strings.HasSuffix(l, ".service") // a systemd unit: ExecStart=gunicorn wsgi:app
}

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
