package static

import (
	"path"
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// What ships. A finding in a file the project never ships (a client script
// under tools/, a stress test, a maintainer's helper) is not a weakness of
// the deployed application. Which files ship is read from the packaging
// and the container recipes, never from folder names:
//
//   - setup.py (setup(packages=..., py_modules=..., scripts=...,
//     package_dir=...), find_packages with where/include/exclude), setup.cfg
//     ([options] and [options.packages.find]) and pyproject.toml (setuptools,
//     poetry, hatch and flit tables) ship the packages they name;
//   - a Dockerfile ships what it COPYs or ADDs (COPY . ships its context);
//   - MANIFEST.in adds files to the source distribution.
//
// A declaration speaks for the files under its own directory. A file is
// unshipped only when some declaration speaks for it, none covers it, it is
// not imported by a shipped module, and it serves no route: request-handling
// code is never discounted. Where nothing declares, every file ships.

// shipDecl is one packaging or container declaration.
type shipDecl struct {
	dir    string // the directory it speaks for ("" is the root)
	what   string // what it ships, for the message
	speaks bool   // false for MANIFEST.in: it adds files, it does not limit
	covers func(rel string) bool
}

// shipping is every declaration of the tree and the verdicts it gives.
type shipping struct {
	decls   []shipDecl
	shipped map[string]bool // modules shipped by import from a covered one
	served  map[string]bool // files holding routes
	entry   entries         // what the deploy files start (entry.go)
}

// readShipping reads the deploy and packaging files of the project.
func readShipping(proj *flask.Project) *shipping {
	s := &shipping{served: map[string]bool{}}
	started := map[string]bool{} // modules and files the deploy files start
	for _, rel := range proj.Deploy {
		b, err := proj.ReadFile(rel)
		if err != nil {
			continue
		}
		src := string(b)
		for _, m := range startedRe.FindAllStringSubmatch(src, -1) {
			for _, x := range m[1:] {
				if x != "" {
					started[x] = true
				}
			}
		}
		dir := path.Dir(rel)
		if dir == "." {
			dir = ""
		}
		switch base := strings.ToLower(path.Base(rel)); {
		case strings.HasPrefix(base, "dockerfile") || strings.HasSuffix(base, ".dockerfile") || base == "containerfile":
			s.add(dockerDecl(rel, dir, src))
		case base == "setup.py":
			s.add(setupPyDecl(proj, rel, dir))
		case base == "setup.cfg":
			s.add(setupCfgDecl(proj, rel, dir, src))
		case base == "pyproject.toml":
			s.add(pyprojectDecl(proj, rel, dir, src))
		case base == "manifest.in":
			s.add(manifestDecl(rel, dir, src))
		}
	}
	for _, r := range proj.Routes {
		s.served[r.File] = true
	}
	s.entry = readEntries(proj)
	// What a deploy file starts (gunicorn wsgi:app, python run.py) runs
	// in production wherever it lies.
	for _, m := range proj.Modules {
		if started[m.Name] || started[m.File.Path] || started[path.Base(m.File.Path)] {
			s.served[m.File.Path] = true
		}
	}
	// Config an app loads (from_object("config"), from_pyfile: a settings
	// module's or a config class's NAME = value) is the app's, however it
	// is loaded. A setting a file writes on its own app
	// (app.config["K"] = v, config.update(...)) is not a load: that file
	// ships or not on its own (a standalone example script configuring the
	// app it builds serves nothing).
	for _, es := range proj.Config {
		for _, e := range es {
			if e.Module != nil && e.File == nil && loadedSetting(e.Stmt) {
				s.served[e.Module.File.Path] = true
			}
		}
	}
	s.shipped = s.importClosure(proj)
	return s
}

// loadedSetting: the config entry is a settings module's or a config
// class's NAME = value, not a write on an app's config.
func loadedSetting(stmt *python.Node) bool {
	if stmt == nil || stmt.Kind != "assignment" {
		return false
	}
	left := stmt.ChildByField("left")
	return left != nil && left.Kind == "identifier"
}

func (s *shipping) add(d *shipDecl) {
	if d != nil {
		s.decls = append(s.decls, *d)
	}
}

// unshipped says why rel is not shipped, or "" when it ships or nothing
// says.
func (s *shipping) unshipped(rel string) string {
	if s == nil || s.served[rel] || s.shipped[rel] {
		return ""
	}
	return s.declared(rel)
}

// declared is the packaging verdict alone: "" when a declaration covers
// rel or none speaks for it, else the declarations that leave it out.
func (s *shipping) declared(rel string) string {
	var speaking []string
	for _, d := range s.decls {
		// A recipe in docker/ may copy from the root (its build context
		// is often the root): its copies count wherever they lie, but it
		// speaks only for its own directory.
		if d.covers(rel) {
			return ""
		}
		if d.speaks && under(rel, d.dir) {
			speaking = append(speaking, d.what)
		}
	}
	if len(speaking) == 0 {
		return ""
	}
	return "not shipped: " + strings.Join(speaking, "; ")
}

// importClosure is every file imported, directly or through other
// modules, by a file the declarations cover or a file that serves routes.
func (s *shipping) importClosure(proj *flask.Project) map[string]bool {
	out := map[string]bool{}
	var queue []*flask.Module
	for _, m := range proj.Modules {
		// Covered files, and request-handling code with everything it
		// imports (its config module, its helpers) wherever it lies.
		if s.declared(m.File.Path) == "" || s.served[m.File.Path] {
			out[m.File.Path] = true
			queue = append(queue, m)
		}
	}
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		for _, imp := range m.Imports {
			for _, name := range []string{imp.Module, imp.Module + "." + imp.Name} {
				if mm := proj.Module(name); mm != nil && !out[mm.File.Path] {
					out[mm.File.Path] = true
					queue = append(queue, mm)
				}
			}
		}
		for _, st := range m.Stars {
			if mm := proj.Module(st); mm != nil && !out[mm.File.Path] {
				out[mm.File.Path] = true
				queue = append(queue, mm)
			}
		}
	}
	return out
}

// startedRe finds what a deploy file starts: a WSGI target's module
// (wsgi:app, "pkg.web:create_app()") or a Python file run as a script.
var startedRe = regexp.MustCompile(`(?:^|[\s"'=])([A-Za-z_][\w.]*):[A-Za-z_]\w*|python[0-9.]*["',\s]+(?:-[A-Za-z]+["',\s]+)*(?:\./)?([\w./-]+\.py)\b`)

// under: rel lies in dir ("" is the root).
func under(rel, dir string) bool {
	return dir == "" || rel == dir || strings.HasPrefix(rel, dir+"/")
}

var dockerCopy = regexp.MustCompile(`(?i)^\s*(COPY|ADD)\s+(.*)$`)

// dockerDecl: a Dockerfile ships what it copies. Its sources are taken
// from its own directory and from the root (the build context may be
// either); COPY --from copies from another stage, not from the tree.
func dockerDecl(rel, dir, src string) *shipDecl {
	var sources []string
	for _, line := range strings.Split(strings.ReplaceAll(src, "\\\n", " "), "\n") {
		m := dockerCopy.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		var args []string
		if rest := strings.TrimSpace(m[2]); strings.HasPrefix(rest, "[") {
			args = quoted(rest)
		} else {
			args = strings.Fields(rest)
		}
		var plain []string
		from := false
		for _, a := range args {
			a = strings.Trim(a, `"'`)
			if strings.HasPrefix(a, "--") {
				from = from || strings.HasPrefix(a, "--from")
				continue
			}
			plain = append(plain, a)
		}
		if from || len(plain) < 2 {
			continue
		}
		sources = append(sources, plain[:len(plain)-1]...)
	}
	if len(sources) == 0 {
		return nil
	}
	return &shipDecl{dir: dir, what: rel + " copies " + strings.Join(sources, ", "), speaks: true,
		covers: func(f string) bool {
			for _, s := range sources {
				s = strings.TrimPrefix(path.Clean(s), "./")
				for _, base := range []string{dir, ""} {
					if s == "." || s == "*" {
						// The whole context: the recipe's own directory
						// (a root context copying everything would make
						// every recipe in the tree ship everything).
						if under(f, dir) {
							return true
						}
						continue
					}
					p := path.Join(base, s)
					if under(f, p) {
						return true
					}
					if ok, _ := path.Match(p, f); ok {
						return true
					}
					if ok, _ := path.Match(p, path.Dir(f)); ok {
						return true
					}
				}
			}
			return false
		}}
}

var quotedRe = regexp.MustCompile(`"([^"]*)"|'([^']*)'`)

// quoted returns the quoted strings of s in order.
func quoted(s string) []string {
	var out []string
	for _, m := range quotedRe.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1]+m[2])
	}
	return out
}

// uniq keeps the first of each string, in order.
func uniq(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
