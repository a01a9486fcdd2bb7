package static

import (
	"path"
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
)

// Packaging declared in configuration files: setup.cfg, pyproject.toml
// and MANIFEST.in (see shipped.go).

// iniSections splits an INI or TOML text into sections of key -> value,
// a value running on over indented or bracketed continuation lines.
func iniSections(src string) map[string]map[string]string {
	out := map[string]map[string]string{}
	sec, key := "", ""
	depth := 0
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, ";") {
			continue
		}
		if depth == 0 && strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") && !strings.Contains(t, "=") {
			sec, key = strings.Trim(t, "[] "), ""
			if out[sec] == nil {
				out[sec] = map[string]string{}
			}
			continue
		}
		if out[sec] == nil {
			out[sec] = map[string]string{}
		}
		if depth == 0 && (line[0] != ' ' && line[0] != '\t' || key == "") {
			k, v, ok := strings.Cut(t, "=")
			if !ok {
				continue
			}
			key = strings.TrimSpace(k)
			out[sec][key] = strings.TrimSpace(v)
			depth = strings.Count(v, "[") - strings.Count(v, "]")
			continue
		}
		out[sec][key] += "\n" + t
		depth += strings.Count(t, "[") - strings.Count(t, "]")
	}
	return out
}

// listValue reads a list value: quoted strings of a TOML array, or the
// words of an INI multi-line list.
func listValue(v string) []string {
	if q := quoted(v); len(q) > 0 {
		return q
	}
	var out []string
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == ',' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// setupCfgDecl reads [options] of a setup.cfg.
func setupCfgDecl(proj *flask.Project, rel, dir, src string) *shipDecl {
	secs := iniSections(src)
	opt := secs["options"]
	if opt == nil {
		return nil
	}
	var ps pkgSet
	if pd := opt["package_dir"]; pd != "" {
		if _, b, ok := strings.Cut(pd, "="); ok {
			ps.base = strings.TrimSpace(b)
		}
	}
	if p, ok := opt["packages"]; ok {
		if strings.HasPrefix(p, "find") {
			ps.find, ps.explicit = true, true
			f := secs["options.packages.find"]
			if w := f["where"]; w != "" {
				ps.base = w
			}
			ps.include, ps.exclude = listValue(f["include"]), listValue(f["exclude"])
		} else if names := listValue(p); len(names) > 0 {
			ps.names, ps.explicit = names, true
		}
	}
	if m := listValue(opt["py_modules"]); len(m) > 0 {
		ps.modules, ps.explicit = m, true
	}
	ps.files = listValue(opt["scripts"])
	return ps.decl(proj, rel, dir)
}

var (
	poetryInclude = regexp.MustCompile(`include\s*=\s*["']([^"']+)["'](?:\s*,\s*from\s*=\s*["']([^"']+)["'])?`)
	poetryFrom    = regexp.MustCompile(`from\s*=\s*["']([^"']+)["']\s*,\s*include\s*=\s*["']([^"']+)["']`)
)

// pyprojectDecl reads the packaging tables of a pyproject.toml that name
// what ships (setuptools, poetry, hatch, flit); auto-discovery names
// nothing and declares nothing.
func pyprojectDecl(proj *flask.Project, rel, dir, src string) *shipDecl {
	secs := iniSections(src)
	var ps pkgSet
	if st := secs["tool.setuptools"]; st != nil {
		if p := st["packages"]; p != "" && !strings.HasPrefix(p, "{") {
			ps.names, ps.explicit = listValue(p), true
		}
		if m := listValue(st["py-modules"]); len(m) > 0 {
			ps.modules, ps.explicit = m, true
		}
		if pd := st["package-dir"]; pd != "" {
			if q := quoted(pd); len(q) == 2 && q[0] == "" {
				ps.base = q[1]
			}
		}
	}
	if f := secs["tool.setuptools.packages.find"]; f != nil {
		ps.find, ps.explicit = true, true
		if w := listValue(f["where"]); len(w) > 0 {
			ps.base = w[0]
		}
		ps.include, ps.exclude = listValue(f["include"]), listValue(f["exclude"])
	}
	if p := secs["tool.poetry"]["packages"]; p != "" {
		for _, m := range poetryInclude.FindAllStringSubmatch(p, -1) {
			ps.names = append(ps.names, path.Join(m[2], m[1]))
		}
		for _, m := range poetryFrom.FindAllStringSubmatch(p, -1) {
			ps.names = append(ps.names, path.Join(m[1], m[2]))
		}
		ps.explicit = len(ps.names) > 0
	}
	for _, sec := range []string{"tool.hatch.build.targets.wheel", "tool.hatch.build"} {
		for _, k := range []string{"packages", "only-include"} {
			if p := listValue(secs[sec][k]); len(p) > 0 && strings.HasPrefix(secs[sec][k], "[") {
				ps.names, ps.explicit = append(ps.names, p...), true
			}
		}
	}
	if n := strings.Trim(secs["tool.flit.module"]["name"], `"' `); n != "" {
		ps.names, ps.explicit = append(ps.names, n), true
	}
	// Paths ("src/pkg", "pkg/*.py") name packages by their directory.
	for i, n := range ps.names {
		n = strings.TrimSuffix(strings.TrimSuffix(n, "/*.py"), "/")
		ps.names[i] = strings.ReplaceAll(strings.TrimPrefix(n, "./"), "/", ".")
	}
	return ps.decl(proj, rel, dir)
}

// manifestDecl: MANIFEST.in adds files to the source distribution; it
// covers them without limiting anything.
func manifestDecl(rel, dir, src string) *shipDecl {
	var dirs, globs []string
	for _, line := range strings.Split(src, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "graft":
			dirs = append(dirs, f[1])
		case "recursive-include":
			dirs = append(dirs, f[1]) // patterns below: any Python file counts
		case "include":
			globs = append(globs, f[1:]...)
		}
	}
	if len(dirs)+len(globs) == 0 {
		return nil
	}
	return &shipDecl{dir: dir, what: rel, covers: func(f string) bool {
		for _, d := range dirs {
			if under(f, path.Join(dir, d)) {
				return true
			}
		}
		for _, g := range globs {
			if ok, _ := path.Match(path.Join(dir, g), f); ok {
				return true
			}
		}
		return false
	}}
}
