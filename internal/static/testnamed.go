package static

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
)

// A file's name is a hint that it is test code, never proof: a routes
// module named devices_tests.py (the devices and the lab tests a
// laboratory app serves) is the app's own code. A file that looks like a
// test by its name alone (not under a tests directory) is app code when
// it holds no test code (it imports neither pytest nor unittest's
// TestCase) and a non-test file of the project imports it: pytest never
// needs a test module imported by the app, the app always does.

// testFramework matches the shapes of test code in a Python file: pytest
// or unittest imported (unittest.mock too: test doubles), a class named
// like a test case or its base, a test method. It also tells a test
// harness (a runner importing unittest) from the app among importers.
var testFramework = regexp.MustCompile(`(?m)^[ \t]*(?:import[ \t]+(?:pytest|unittest)\b|from[ \t]+(?:pytest|unittest)\b|class[ \t]+\w*Test(?:s|Case|Base|Mixin)?[ \t]*[(:])|^[ \t]+(?:async[ \t]+)?def[ \t]+test_?\w*[ \t]*\([ \t]*self\b`)

// underTestDir reports whether a slash path lies in a test directory.
func underTestDir(rel string) bool {
	parts := strings.Split(rel, "/")
	for _, d := range parts[:len(parts)-1] {
		if testDirs[d] {
			return true
		}
	}
	return false
}

var (
	fromImport  = regexp.MustCompile(`(?m)^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]*(\([^)]*\)|[^\n#;]*)`)
	plainImport = regexp.MustCompile(`(?m)^[ \t]*import[ \t]+([^\n#;]+)`)
)

// imported lists the modules a file imports, as slash paths without
// ".py": relative imports resolved from the file's directory (exact),
// absolute ones as written (they match a path by suffix: the root on
// sys.path is not known). A name imported from a module may be a module.
func imported(rel string, src []byte) (exact, suffix []string) {
	names := func(list string) []string {
		var out []string
		for _, n := range strings.Split(strings.Trim(strings.TrimSpace(list), "()"), ",") {
			n = strings.TrimSpace(strings.ReplaceAll(n, "\\", ""))
			if f := strings.Fields(n); len(f) > 0 && f[0] != "*" {
				out = append(out, f[0])
			}
		}
		return out
	}
	for _, m := range fromImport.FindAllSubmatch(src, -1) {
		dots, base := len(m[1]), strings.ReplaceAll(string(m[2]), ".", "/")
		var mods []string
		if base != "" {
			mods = append(mods, base)
		}
		for _, n := range names(string(m[3])) {
			mods = append(mods, strings.TrimPrefix(base+"/"+n, "/"))
		}
		if dots == 0 {
			suffix = append(suffix, mods...)
			continue
		}
		dir := path.Dir(rel)
		for k := 1; k < dots; k++ {
			dir = path.Dir(dir)
		}
		for _, mod := range mods {
			exact = append(exact, path.Clean(path.Join(dir, mod)))
		}
	}
	for _, m := range plainImport.FindAllSubmatch(src, -1) {
		for _, n := range names(string(m[1])) {
			suffix = append(suffix, strings.ReplaceAll(n, ".", "/"))
		}
	}
	return exact, suffix
}

// testNamedAppCode returns, of cands (paths that look like tests by
// their name only), those that hold no test code and that one of others
// (non-test files, themselves without test code) imports, with the importer. read gives a file's source.
func testNamedAppCode(cands, others []string, read func(rel string) []byte) map[string]string {
	open := map[string]bool{} // module path (no .py) -> still looked for
	for _, c := range cands {
		if underTestDir(c) {
			continue
		}
		if src := read(c); src != nil && !testFramework.Match(src) {
			open[strings.TrimSuffix(c, ".py")] = true
		}
	}
	kept := map[string]string{}
	for _, o := range others {
		if len(open) == 0 {
			break
		}
		src := read(o)
		if src == nil || testFramework.Match(src) {
			continue // a test harness (runtests.py) is not the app
		}
		exact, suffix := imported(o, src)
		for mod := range open {
			hit := false
			for _, e := range exact {
				hit = hit || e == mod
			}
			for _, s := range suffix {
				hit = hit || mod == s || strings.HasSuffix(mod, "/"+s)
			}
			if hit {
				kept[mod+".py"] = o
				delete(open, mod)
			}
		}
	}
	return kept
}

// readUnder reads a slash path under dir, or nil.
func readUnder(dir string) func(rel string) []byte {
	return func(rel string) []byte {
		src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return nil
		}
		return src
	}
}

// testNamedModules is testNamedAppCode over the analysed modules (with
// --include-tests every test file is analysed: those the app imports
// are still the app's code, not test code).
func testNamedModules(proj *flask.Project) map[string]string {
	src := map[string][]byte{}
	var cands, others []string
	for _, m := range proj.Modules {
		rel := m.File.Path
		src[rel] = m.File.Src
		switch {
		case !IsTestPath(rel):
			others = append(others, rel)
		case !underTestDir(rel):
			cands = append(cands, rel)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	return testNamedAppCode(cands, others, func(rel string) []byte { return src[rel] })
}
