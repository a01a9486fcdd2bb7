package flask

import (
	"path"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Import is what a local name is bound to by an import statement: Name is
// empty when the whole module is bound.
type Import struct {
	Module string
	Name   string
}

// Module is one parsed file with its top-level bindings.
type Module struct {
	Name      string
	File      *python.File
	IsPackage bool
	// Assigns maps a module-level name to the right-hand sides assigned to
	// it, in source order.
	Assigns map[string][]*python.Node
	Imports map[string]Import
	// Funcs and Classes are top-level definitions by name.
	Funcs   map[string]*python.Node
	Classes map[string]*python.Node
	// Stars are the modules a top-level `from X import *` pulls every
	// public name from, in source order.
	Stars []string
}

// moduleName turns "pkg/sub/mod.py" into "pkg.sub.mod" ("pkg/__init__.py"
// into "pkg").
func moduleName(rel string) (string, bool) {
	rel = strings.TrimSuffix(rel, ".py")
	pkg := false
	if path.Base(rel) == "__init__" {
		rel = path.Dir(rel)
		pkg = true
		if rel == "." {
			rel = ""
		}
	}
	return strings.ReplaceAll(rel, "/", "."), pkg
}

func newModule(f *python.File) *Module {
	name, pkg := moduleName(f.Path)
	m := &Module{Name: name, File: f, IsPackage: pkg,
		Assigns: map[string][]*python.Node{}, Imports: map[string]Import{},
		Funcs: map[string]*python.Node{}, Classes: map[string]*python.Node{}}
	forTopLevel(f.Root, func(st *python.Node) {
		switch st.Kind {
		case "import_statement":
			m.addImport(st)
		case "import_from_statement":
			m.addFromImport(st)
		case "function_definition":
			m.Funcs[st.ChildByField("name").Text()] = st
		case "class_definition":
			m.Classes[st.ChildByField("name").Text()] = st
		case "expression_statement":
			for _, c := range st.NamedChildren() {
				if c.Kind == "assignment" {
					m.addAssign(c)
				}
			}
		}
	})
	// Imports inside functions (app factories import their blueprints
	// late) bind names too; top-level bindings win.
	nested := append(append([]*python.Node{}, f.OfKind("import_from_statement")...), f.OfKind("import_statement")...)
	for _, n := range nested {
		if n.Parent == f.Root {
			continue
		}
		saved := m.Imports
		m.Imports = map[string]Import{}
		if n.Kind == "import_statement" {
			m.addImport(n)
		} else {
			m.addFromImport(n)
		}
		for k, v := range m.Imports {
			if _, ok := saved[k]; !ok {
				saved[k] = v
			}
		}
		m.Imports = saved
	}
	return m
}

// forTopLevel calls fn for every module-level statement, also those nested
// in if/try/with blocks, never inside functions or classes. Decorated
// definitions yield their definition.
func forTopLevel(root *python.Node, fn func(*python.Node)) {
	var visit func(n *python.Node)
	visit = func(n *python.Node) {
		for _, st := range n.NamedChildren() {
			switch st.Kind {
			case "decorated_definition":
				if d := st.ChildByField("definition"); d != nil {
					fn(d)
				}
			case "if_statement", "try_statement", "with_statement", "block",
				"else_clause", "elif_clause", "except_clause", "finally_clause":
				visit(st)
			default:
				fn(st)
			}
		}
	}
	visit(root)
}

func (m *Module) addAssign(a *python.Node) {
	left, right := a.ChildByField("left"), a.ChildByField("right")
	if left == nil || right == nil {
		return
	}
	if right.Kind == "assignment" { // a = b = value
		m.addAssign(right)
		for r := right; r != nil && r.Kind == "assignment"; r = r.ChildByField("right") {
			right = r.ChildByField("right")
		}
	}
	if right == nil {
		return
	}
	if left.Kind == "identifier" {
		m.Assigns[left.Text()] = append(m.Assigns[left.Text()], right)
	}
}

func (m *Module) addImport(st *python.Node) {
	for _, c := range st.NamedChildren() {
		switch c.Kind {
		case "dotted_name":
			full := c.Text()
			first := strings.SplitN(full, ".", 2)[0]
			m.Imports[first] = Import{Module: first}
		case "aliased_import":
			m.Imports[c.ChildByField("alias").Text()] = Import{Module: c.ChildByField("name").Text()}
		}
	}
}

func (m *Module) addFromImport(st *python.Node) {
	modNode := st.ChildByField("module_name")
	if modNode == nil {
		return
	}
	from := m.resolveRelative(modNode.Text())
	for _, c := range st.NamedChildren() {
		if c.Kind == "wildcard_import" {
			m.Stars = append(m.Stars, from)
		}
	}
	for _, c := range st.Children() {
		if c.Field() != "name" {
			continue
		}
		switch c.Kind {
		case "dotted_name":
			m.Imports[c.Text()] = Import{Module: from, Name: c.Text()}
		case "aliased_import":
			m.Imports[c.ChildByField("alias").Text()] = Import{Module: from, Name: c.ChildByField("name").Text()}
		}
	}
}

// resolveRelative turns ".config" in package "app" into "app.config".
func (m *Module) resolveRelative(mod string) string {
	dots := len(mod) - len(strings.TrimLeft(mod, "."))
	if dots == 0 {
		return mod
	}
	base := strings.Split(m.Name, ".")
	if !m.IsPackage {
		base = base[:len(base)-1]
	}
	if up := dots - 1; up <= len(base) {
		base = base[:len(base)-up]
	}
	rest := mod[dots:]
	parts := append([]string{}, base...)
	if rest != "" {
		parts = append(parts, rest)
	}
	out := strings.Join(parts, ".")
	return strings.TrimPrefix(out, ".")
}

// Qualify resolves the first segment of a dotted name through the module's
// imports: with "from jose import jwt", "jwt.decode" is "jose.jwt.decode".
// A module-level name bound to a call qualifies as the callee plus "()":
// "auth = HTTPTokenAuth()" makes "auth.login_required"
// "flask_httpauth.HTTPTokenAuth().login_required".
func (m *Module) Qualify(dotted string) string { return m.qualify(dotted, 0) }

// qualify is Qualify following "a = b()" at most maxEvalDepth times:
// "client = factory(); factory = client()" leads back to itself.
func (m *Module) qualify(dotted string, depth int) string {
	if dotted == "" {
		return ""
	}
	first, rest := dotted, "" // rest keeps its dot: sliced, not built
	if i := strings.IndexByte(dotted, '.'); i >= 0 && i < len(dotted)-1 {
		first, rest = dotted[:i], dotted[i:]
	} else if i >= 0 {
		first = dotted[:i]
	}
	if imp, ok := m.Imports[first]; ok {
		if imp.Name == "" {
			return imp.Module + rest
		}
		return imp.Module + "." + imp.Name + rest
	}
	if rhs := m.Assigns[first]; len(rhs) > 0 {
		last := rhs[len(rhs)-1]
		if last.Kind == "call" {
			callee := last.ChildByField("function").DottedName()
			if callee != "" && !strings.HasPrefix(callee, first+".") && callee != first {
				if depth >= maxEvalDepth {
					return dotted
				}
				return m.qualify(callee, depth+1) + "()" + rest
			}
		}
	}
	return dotted
}
