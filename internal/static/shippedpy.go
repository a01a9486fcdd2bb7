package static

import (
	"path"
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// Packaging declared by setup.py, and the package sets every packaging
// form reduces to (see shipped.go).

// pkgSet is what a packaging declaration ships: packages by dotted name
// (and their subpackages), found packages under a base, modules and
// script files.
type pkgSet struct {
	base     string   // package_dir root, relative to the declaring dir
	names    []string // dotted packages named
	find     bool     // find_packages: every package under base
	include  []string // find include patterns (dotted, fnmatch)
	exclude  []string // find exclude patterns
	modules  []string // py_modules
	files    []string // scripts
	explicit bool
}

// decl turns a pkgSet into a declaration of the file rel in dir.
func (ps pkgSet) decl(proj *flask.Project, rel, dir string) *shipDecl {
	if !ps.explicit {
		return nil
	}
	root := path.Join(dir, ps.base)
	if root == "." {
		root = ""
	}
	what := rel + " packages " + strings.Join(uniq(ps.names), ", ")
	if ps.find {
		what = rel + " finds packages under " + orDot(root)
		if len(ps.exclude) > 0 {
			what += " except " + strings.Join(ps.exclude, ", ")
		}
	}
	return &shipDecl{dir: dir, what: what, speaks: true, covers: func(f string) bool {
		if !under(f, root) {
			return false
		}
		inner := strings.TrimPrefix(strings.TrimPrefix(f, root), "/")
		for _, m := range ps.modules {
			if inner == strings.ReplaceAll(m, ".", "/")+".py" {
				return true
			}
		}
		for _, s := range ps.files {
			if f == path.Join(dir, s) {
				return true
			}
		}
		pkg := strings.ReplaceAll(path.Dir(inner), "/", ".")
		if pkg == "." {
			return false
		}
		for _, n := range ps.names {
			if pkg == n || strings.HasPrefix(pkg, n+".") {
				return true
			}
		}
		if ps.find && isPackageDir(proj, path.Dir(f)) {
			for _, x := range ps.exclude {
				if ok, _ := path.Match(x, pkg); ok || strings.HasPrefix(pkg, strings.TrimSuffix(x, ".*")+".") && strings.HasSuffix(x, ".*") {
					return false
				}
			}
			if len(ps.include) == 0 {
				return true
			}
			for _, x := range ps.include {
				if ok, _ := path.Match(x, pkg); ok || strings.HasSuffix(x, "*") && strings.HasPrefix(pkg, strings.TrimSuffix(strings.TrimSuffix(x, "*"), ".")) {
					return true
				}
			}
		}
		return false
	}}
}

func orDot(s string) string {
	if s == "" {
		return "."
	}
	return s
}

// isPackageDir: the directory holds an __init__.py the analysis read.
func isPackageDir(proj *flask.Project, dir string) bool {
	for _, m := range proj.Modules {
		if m.IsPackage && path.Dir(m.File.Path) == dir {
			return true
		}
	}
	return false
}

// packageName is a package string of the packaging: 'pritunl.%s' built in
// a loop is every subpackage of pritunl.
func packageName(s string) string {
	if i := strings.IndexAny(s, "%{"); i >= 0 {
		s = s[:i]
	}
	return strings.Trim(s, ". ")
}

// setupPyDecl reads the setup() call of a setup.py.
func setupPyDecl(proj *flask.Project, rel, dir string) *shipDecl {
	var file *python.File
	for _, m := range proj.Modules {
		if m.File.Path == rel {
			file = m.File
		}
	}
	if file == nil {
		return nil
	}
	var ps pkgSet
	for _, c := range file.OfKind("call") {
		d := c.ChildByField("function").DottedName()
		if d != "setup" && !strings.HasSuffix(d, ".setup") {
			continue
		}
		for _, a := range c.ChildByField("arguments").NamedChildren() {
			if a.Kind != "keyword_argument" {
				continue
			}
			v := a.ChildByField("value")
			switch a.ChildByField("name").Text() {
			case "packages":
				ps.explicit = setupPackages(file, v, &ps) || ps.explicit
			case "py_modules":
				ps.modules = append(ps.modules, stringsIn(file, v)...)
				ps.explicit = true
			case "scripts":
				ps.files = append(ps.files, stringsIn(file, v)...)
			case "package_dir":
				if v.Kind == "dictionary" {
					for _, pair := range v.NamedChildren() {
						if k, ok := pair.ChildByField("key").StringValue(); ok && k == "" {
							ps.base, _ = pair.ChildByField("value").StringValue()
						}
					}
				}
			}
		}
	}
	return ps.decl(proj, rel, dir)
}

// setupPackages reads setup(packages=v): a list of names (also built in
// the file: packages = [...]; packages.append('pkg.%s' % d)) or a
// find_packages call.
func setupPackages(file *python.File, v *python.Node, ps *pkgSet) bool {
	v = v.Unparen()
	if v.Kind == "call" {
		if d := v.ChildByField("function").DottedName(); strings.HasSuffix(d, "find_packages") || strings.HasSuffix(d, "find_namespace_packages") {
			ps.find = true
			for _, a := range v.ChildByField("arguments").NamedChildren() {
				switch {
				case a.Kind == "string":
					ps.base, _ = a.StringValue()
				case a.Kind == "keyword_argument" && a.ChildByField("name").Text() == "where":
					ps.base, _ = a.ChildByField("value").StringValue()
				case a.Kind == "keyword_argument" && a.ChildByField("name").Text() == "exclude":
					ps.exclude = append(ps.exclude, stringsIn(file, a.ChildByField("value"))...)
				case a.Kind == "keyword_argument" && a.ChildByField("name").Text() == "include":
					ps.include = append(ps.include, stringsIn(file, a.ChildByField("value"))...)
				}
			}
			return true
		}
	}
	names := stringsIn(file, v)
	for _, n := range names {
		if n = packageName(n); n != "" {
			ps.names = append(ps.names, n)
		}
	}
	return len(ps.names) > 0
}

// stringsIn are the string literals of v; for a name, those of every
// assignment to it and of its append/extend calls in the file.
func stringsIn(file *python.File, v *python.Node) []string {
	var out []string
	collect := func(n *python.Node) {
		n.Walk(func(x *python.Node) bool {
			if x.Kind == "string" {
				if s, ok := x.StringValue(); ok {
					out = append(out, s)
				} else if t := strings.Trim(strings.TrimLeft(x.Text(), "fbruFBRU"), `"'`); t != "" {
					out = append(out, t)
				}
				return false
			}
			return true
		})
	}
	if v.Kind != "identifier" {
		collect(v)
		return out
	}
	name := v.Text()
	for _, a := range file.OfKind("assignment") {
		if a.ChildByField("left").Text() == name && a.ChildByField("right") != nil {
			collect(a.ChildByField("right"))
		}
	}
	for _, c := range file.OfKind("call") {
		f := c.ChildByField("function")
		if f.Kind == "attribute" && f.ChildByField("object").Text() == name {
			if at := f.ChildByField("attribute").Text(); at == "append" || at == "extend" {
				collect(c.ChildByField("arguments"))
			}
		}
	}
	return out
}
