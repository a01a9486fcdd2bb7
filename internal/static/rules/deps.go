package rules

// The project's declared dependencies, read in one place: requirements
// files, pyproject.toml (PEP 621 and Poetry tables), setup.py/setup.cfg
// install_requires and Pipfile, beside the deploy files, at the root, or
// in a directory above the file a rule asks about. Names are normalized as
// pip does (PEP 503: lower case, runs of -_. as one -).

import (
	"path"
	"regexp"
	"strings"
)

// manifestNames are the files that declare what pip installs.
var manifestNames = []string{"requirements.txt", "requirements-prod.txt", "requirements_prod.txt", "requirements/base.txt",
	"requirements/prod.txt", "requirements/production.txt", "requirements/common.txt", "pyproject.toml", "setup.py", "setup.cfg", "Pipfile"}

// reqLine is a requirement at the start of a line (requirements files,
// setup.cfg lists, Pipfile and Poetry keys); reqQuoted one in quotes
// (pyproject dependency arrays, setup.py install_requires).
var (
	reqLine   = regexp.MustCompile(`(?m)^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~;@]|=|$|#|\s)`)
	reqQuoted = regexp.MustCompile(`["']([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~;@][^"']*)?["']`)
	normRun   = regexp.MustCompile(`[-_.]+`)
)

// normDist is a distribution name as pip compares it.
func normDist(s string) string {
	return normRun.ReplaceAllString(strings.ToLower(s), "-")
}

// requirementNames are the distributions a manifest text names.
func requirementNames(text string) map[string]bool {
	out := map[string]bool{}
	for _, m := range reqLine.FindAllStringSubmatch(text, -1) {
		out[normDist(m[1])] = true
	}
	for _, m := range reqQuoted.FindAllStringSubmatch(text, -1) {
		out[normDist(m[1])] = true
	}
	return out
}

// declaredDeps are the distributions the manifests that govern the file
// rel declare (nil when none is found).
func (ps *Pass) declaredDeps(rel string) map[string]bool {
	dirs := map[string]bool{".": true}
	for _, d := range ps.Project.Deploy {
		dirs[path.Dir(d)] = true
	}
	for d := path.Dir(rel); d != "." && d != "/" && d != ""; d = path.Dir(d) {
		dirs[d] = true
	}
	var out map[string]bool
	for d := range dirs {
		for _, name := range manifestNames {
			p := name
			if d != "." {
				p = d + "/" + name
			}
			if ps.depsMemo == nil {
				ps.depsMemo = map[string]map[string]bool{}
			}
			names, ok := ps.depsMemo[p]
			if !ok {
				if b, err := ps.Project.ReadFile(p); err == nil {
					names = requirementNames(string(b))
				}
				ps.depsMemo[p] = names
			}
			for k := range names {
				if out == nil {
					out = map[string]bool{}
				}
				out[k] = true
			}
		}
	}
	return out
}

// declaresImport: the manifests governing rel declare the distribution
// that provides the top-level import name mod (bcrypt, python-dotenv for
// dotenv, PyJWT for jwt: the name itself, or with a python-/py prefix).
func (ps *Pass) declaresImport(rel, mod string) bool {
	top, _, _ := strings.Cut(mod, ".")
	top = normDist(top)
	deps := ps.declaredDeps(rel)
	for _, cand := range []string{top, "python-" + top, "py" + top, top + "-python"} {
		if deps[cand] {
			return true
		}
	}
	return false
}
