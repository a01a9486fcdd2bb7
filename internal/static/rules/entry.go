package rules

import (
	"path"
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// deployFiles are where a project says how production starts it: process
// files, container recipes, server configs and packaging entry points,
// read at the analysed root and beside the module.
var deployFiles = []string{"Procfile", "Dockerfile", "docker-compose.yml", "docker-compose.yaml", "compose.yaml",
	"gunicorn.conf.py", "gunicorn_config.py", "uwsgi.ini", "app.yaml", "setup.py", "setup.cfg", "pyproject.toml",
	"entrypoint.sh", "docker-entrypoint.sh", "start.sh", "run.sh"}

// serverEntry: a line of a process file (Procfile, Dockerfile, compose,
// shell) that starts the app through a WSGI/ASGI server or the flask
// command; packageEntry: console entry points declared by packaging. None
// of these runs a module's if __name__ == "__main__" block. A server named
// in packaging is a dependency, not an entry.
var (
	serverEntry  = regexp.MustCompile(`\b(gunicorn|uwsgi|waitress-serve|uvicorn|hypercorn|mod_wsgi|flask\s+run)\b`)
	packageEntry = regexp.MustCompile(`console_scripts|\[project\.scripts\]|\[tool\.poetry\.scripts\]`)
)

// scriptGuard is the if __name__ == "__main__" statement holding n, or nil.
func scriptGuard(n *python.Node) *python.Node {
	for a := n.Parent; a != nil; a = a.Parent {
		switch a.Kind {
		case "function_definition", "class_definition":
			return nil
		case "if_statement":
			if c := a.ChildByField("condition"); c != nil && strings.Contains(c.Text(), "__name__") && strings.Contains(c.Text(), "__main__") {
				return a
			}
		}
	}
	return nil
}

// scriptEntry judges whether production runs module m as a script, from
// the project's deploy files: runs is true (with the file that says so)
// when one starts it with python FILE or python -m MODULE; decided is true
// when one names the production entry at all. The files read are those at
// the root and in the module's directories (by name), and any deploy file
// of the tree whose server line names a module of m's tree as its WSGI
// target (docker/common/Dockerfile.app: gunicorn "pkg:create_app()").
// Nothing found: undecided.
func scriptEntry(p *flask.Project, m *flask.Module) (runs bool, decided bool, where string) {
	file := m.File.Path
	base := path.Base(file)
	dir := path.Dir(file)
	script := regexp.MustCompile(`python[0-9.]*["',\s]+(?:-[A-Za-z]+["',\s]+)*([^\s"',]*/)?` + regexp.QuoteMeta(base) + `\b|-m["',\s]+` + regexp.QuoteMeta(m.Name) + `\b`)
	seen := map[string]bool{}
	var files []string
	for _, d := range []string{".", dir} {
		for _, name := range deployFiles {
			files = append(files, path.Join(d, name))
		}
	}
	files = append(files, p.Deploy...)
	for _, rel := range files {
		if seen[rel] {
			continue
		}
		seen[rel] = true
		b, err := p.ReadFile(rel)
		if err != nil {
			continue
		}
		name := path.Base(rel)
		near := ancestorDir(path.Dir(rel), dir)
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			if near {
				for _, sm := range script.FindAllStringSubmatch(line, -1) {
					if !strings.HasPrefix(strings.TrimSpace(sm[0]), "python") || ScriptPath(sm[1]+base, rel, file) {
						return true, true, rel
					}
				}
			}
			packaging := name == "setup.py" || name == "setup.cfg" || name == "pyproject.toml"
			switch {
			case !near:
				if !packaging && serverEntry.MatchString(line) && servesTree(p, m, line) {
					decided, where = true, rel
				}
			case packaging && packageEntry.MatchString(line) || !packaging && serverEntry.MatchString(line) ||
				name == "gunicorn.conf.py" || name == "uwsgi.ini":
				decided, where = true, rel
			}
		}
	}
	return false, decided, where
}

// ScriptPath: the script a deploy file (at rel) runs, written as
// written (app.py, ./svc/app.py, /srv/api/start.py), can be file. A bare
// name can be any file of that name; a written directory must agree with
// file's, relative to the deploy file or as a suffix of an absolute or
// container path (./semantic-api/app.py is not stanza_service/app.py).
func ScriptPath(written, rel, file string) bool {
	w := strings.TrimPrefix(written, "./")
	if !strings.Contains(w, "/") {
		return path.Base(file) == w
	}
	if path.Join(path.Dir(rel), w) == file {
		return true
	}
	return strings.HasSuffix("/"+w, "/"+file) || strings.HasSuffix("/"+file, "/"+w)
}

// ancestorDir: d is dir or one of its parents ("." is the root).
func ancestorDir(d, dir string) bool {
	return d == "." || d == dir || strings.HasPrefix(dir, d+"/")
}

var wsgiTarget = regexp.MustCompile(`["'\s]([A-Za-z_][\w.]*):[A-Za-z_]\w*`)

// servesTree: the server line's WSGI target (pkg.wsgi:app) is a module of
// m's own tree.
func servesTree(p *flask.Project, m *flask.Module, line string) bool {
	for _, t := range wsgiTarget.FindAllStringSubmatch(" "+line, -1) {
		if mm := p.Module(t[1]); mm != nil && p.RootOf(mm) == p.RootOf(m) {
			return true
		}
	}
	return false
}

// reportRunDebug reports app.run(debug=True). Under if __name__ ==
// "__main__" it runs only when the module is started as a script: a high
// finding when a deploy file starts it so, nothing when the deploy files
// name another production entry (a WSGI server, flask run, console
// scripts), and a low review when nothing says how production starts it.
// A launcher (a function called only from the guard, a file no module
// imports) is judged the same way, except that with nothing said it stays
// high: its run is not guarded, so it is how the app is meant to run.
func reportRunDebug(ps *Pass, c Call) {
	flow := []finding.Step{startedBy(c.Node), step(c.Arg(-1, "debug"), "source", "debug="+c.Arg(-1, "debug").Text()),
		step(c.Node, "sink", "starts Werkzeug's development server with its interactive debugger on")}
	m := c.Module
	guarded := scriptGuard(c.Node) != nil
	if m == nil || !guarded && !launcher(ps, c.Node, m, 0) {
		ps.ReportFlow("py.flask-debug", c.Node, finding.Firm, "the Werkzeug debugger runs code for anyone who can reach it", flow, nil)
		return
	}
	if !guarded {
		if c.Node.Ancestor("function_definition") == nil {
			flow[0].Note = "module-level code of " + m.File.Path + ", which no module imports: it runs when the file is started as a script"
		} else {
			flow[0].Note += ", called only under the script guard"
		}
	}
	runs, decided, where := scriptEntry(ps.Project, m)
	if !guarded && c.Node.Ancestor("function_definition") == nil && servedModule(ps.Project, m) {
		// A WSGI server imports the file, and the run executes at import.
		runs, where = true, "a server that imports "+m.Name
	}
	switch {
	case runs:
		flow[0].Note = "run as a script (__main__), as " + where + " starts it"
		ps.ReportFlow("py.flask-debug", c.Node, finding.Firm, "the Werkzeug debugger runs code for anyone who can reach it", flow, nil)
	case !decided && !guarded:
		// A launcher file nothing says production replaces: it is how
		// the app is run.
		ps.ReportFlow("py.flask-debug", c.Node, finding.Firm, "the Werkzeug debugger runs code for anyone who can reach it", flow, nil)
	case decided:
		// Production starts the app through where; this block is a
		// developer's local run.
	default:
		before := len(ps.Findings)
		ps.ReportFlow("py.flask-debug", c.Node, finding.Tentative, "the Werkzeug debugger runs code for anyone who can reach it", flow, nil)
		ps.refute(before, step(c.Node, "", "app.run(debug=True) is on only when its file is run as a script, and no Procfile, Dockerfile, server config or entry point says how production starts the app"))
	}
}
