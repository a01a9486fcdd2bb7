package static

import (
	"bytes"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
	"github.com/authprobe/authprobe/internal/static/rules"
)

// Code the deployed app does not run. Where the deploy files (Procfile,
// Dockerfile, compose, shell scripts, systemd units) say what production
// starts — a WSGI target (gunicorn run:app), a FLASK_APP, a file run with
// python FILE — two kinds of code are not that:
//
//   - the if __name__ == "__main__": block of a module production does not
//     run as a script (a developer's local run, a demo at the bottom of a
//     module the app imports or serves);
//   - a loose file (not in a package, whose modules plugin loaders may
//     import by name) no other module names (by import or in a string such as
//     from_object("settings")), that serves no route and that no deploy
//     file starts or names (COPY bin/healthcheck.py ships it for a
//     reason): a documentation generator, an example, a one-off script.
//
// Findings there are low review items, with the reason. Where no deploy
// file names an entry, nothing is judged this way.

// entries is what the deploy files start.
type entries struct {
	where   []string        // the deploy files that start a module or file of the project
	started map[string]bool // files started as a WSGI target or FLASK_APP
	scripts map[string]bool // files started as a script (python FILE, python -m MOD)
	routes  map[string]bool // files holding routes
	text    string          // the deploy files' text: a file they name (COPY bin/check.py, HEALTHCHECK) is theirs
}

var flaskApp = regexp.MustCompile(`FLASK_APP["']?\s*[:=]\s*["']?([\w./-]+)`)
var moduleRun = regexp.MustCompile(`python[0-9.]*["',\s]+-m["',\s]+([\w.]+)`)

// readEntries reads what the deploy files of proj start.
func readEntries(proj *flask.Project) entries {
	e := entries{started: map[string]bool{}, scripts: map[string]bool{}, routes: map[string]bool{}}
	for _, r := range proj.Routes {
		e.routes[r.File] = true
	}
	byBase := map[string][]string{}
	for _, m := range proj.Modules {
		byBase[path.Base(m.File.Path)] = append(byBase[path.Base(m.File.Path)], m.File.Path)
	}
	for _, rel := range proj.Deploy {
		b, err := proj.ReadFile(rel)
		if err != nil {
			continue
		}
		names := false
		e.text += string(b) + "\n"
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			for _, m := range startedRe.FindAllStringSubmatch(line, -1) {
				if m[1] != "" {
					if mm := proj.Module(m[1]); mm != nil {
						e.started[mm.File.Path], names = true, true
					}
				}
				if m[2] != "" {
					for _, f := range byBase[path.Base(m[2])] {
						if rules.ScriptPath(m[2], rel, f) {
							e.scripts[f], names = true, true
						}
					}
				}
			}
			for _, m := range moduleRun.FindAllStringSubmatch(line, -1) {
				if mm := proj.Module(m[1]); mm != nil {
					e.scripts[mm.File.Path], names = true, true
				}
			}
			for _, m := range flaskApp.FindAllStringSubmatch(line, -1) {
				t := strings.TrimSuffix(strings.SplitN(m[1], ":", 2)[0], ".py")
				if mm := proj.Module(strings.ReplaceAll(t, "/", ".")); mm != nil {
					e.started[mm.File.Path], names = true, true
				}
			}
		}
		if names {
			e.where = append(e.where, rel)
		}
	}
	sort.Strings(e.where)
	return e
}

// notRun says why the code at file:line is not run by the deployed app,
// or "" when it may be.
func (s *shipping) notRun(proj *flask.Project, f *python.File, line int) string {
	if s == nil || f == nil || len(s.entry.where) == 0 || s.entry.scripts[f.Path] {
		return ""
	}
	starts := strings.Join(s.entry.where, ", ")
	if mainGuardAt(f, line) {
		return "not run by the deployed app: it runs only when " + f.Path + " is started as a script, and " + starts + " start(s) the app otherwise"
	}
	// A module of a package may be loaded by name at run time (plugins,
	// engines found by scanning their folder): only a loose file (a
	// scripts/ or tools/ folder, the root) is judged by its importers.
	if inPackage(proj, f.Path) || s.entry.started[f.Path] || s.entry.routes[f.Path] || strings.Contains(s.entry.text, path.Base(f.Path)) || path.Base(f.Path) == "__init__.py" || named(proj, f) {
		return ""
	}
	return "not run by the deployed app: no module of the project imports or names " + f.Path + ", and " + starts + " start(s) the app otherwise"
}

// mainGuardAt: line lies in a module-level if __name__ == "__main__" block.
func mainGuardAt(f *python.File, line int) bool {
	if f.Root == nil {
		return false
	}
	for _, st := range f.Root.Children() {
		if st.Kind != "if_statement" {
			continue
		}
		c := st.ChildByField("condition")
		if c == nil || !strings.Contains(c.Text(), "__name__") || !strings.Contains(c.Text(), "__main__") {
			continue
		}
		end := st.Line + bytes.Count(f.Src[st.Start:st.End], []byte("\n"))
		if line >= st.Line && line <= end {
			return true
		}
	}
	return false
}

// named: another module of the project names f's module — an import, a
// relative import, or a string (from_object("settings.Prod")).
func named(proj *flask.Project, f *python.File) bool {
	base := strings.TrimSuffix(path.Base(f.Path), ".py")
	word := regexp.MustCompile(`\b` + regexp.QuoteMeta(base) + `\b`)
	for _, m := range proj.Modules {
		if m.File != f && word.Match(m.File.Src) {
			return true
		}
	}
	return false
}

// inPackage: rel lies in a folder with an __init__.py.
func inPackage(proj *flask.Project, rel string) bool {
	init := path.Join(path.Dir(rel), "__init__.py")
	for _, m := range proj.Modules {
		if m.File.Path == init {
			return true
		}
	}
	return false
}
