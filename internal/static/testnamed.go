package static

import (
	"os"
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

// testFramework matches the shapes of test code in a Python file.
var testFramework = regexp.MustCompile(`(?m)^[ \t]*(?:import[ \t]+pytest\b|from[ \t]+pytest\b|import[ \t]+unittest[ \t]*$)|\bTestCase\b`)

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

// importPattern matches an import of the module named stem: as the last
// part of a dotted module path, or as a name imported from a package
// (also inside a parenthesised list spanning lines).
func importPattern(stem string) *regexp.Regexp {
	s := regexp.QuoteMeta(stem)
	return regexp.MustCompile(`(?m)^[ \t]*(?:from[ \t]+[\w.]*\b` + s + `[ \t]+import\b|import[ \t]+[^\n#]*\b` + s + `\b|from[ \t]+[\w.]+[ \t]+import[ \t]+[^\n#(]*\b` + s + `\b|from[ \t]+[\w.]+[ \t]+import[ \t]*\([^)]*\b` + s + `\b)`)
}

// testNamedAppCode returns, of cands (paths that look like tests by
// their name only), those that hold no test code and that one of others
// (non-test files) imports, with the importer. read gives a file's source.
func testNamedAppCode(cands, others []string, read func(rel string) []byte) map[string]string {
	type cand struct {
		rel string
		re  *regexp.Regexp
	}
	var open []cand
	for _, c := range cands {
		if underTestDir(c) {
			continue
		}
		src := read(c)
		if src == nil || testFramework.Match(src) {
			continue
		}
		open = append(open, cand{c, importPattern(strings.TrimSuffix(filepath.Base(c), ".py"))})
	}
	kept := map[string]string{}
	for _, o := range others {
		if len(open) == 0 {
			break
		}
		src := read(o)
		if src == nil {
			continue
		}
		rest := open[:0]
		for _, c := range open {
			if c.re.Match(src) {
				kept[c.rel] = o
			} else {
				rest = append(rest, c)
			}
		}
		open = rest
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
