package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Plugin entry points a loader calls: a loader imports each module of a
// package by a name it computes and calls one function of it,
//
//	module = importlib.import_module("." + name, package="app.plugins")
//	module.load(app)
//
// so load(app) in every module under app.plugins receives that app. The
// package is what the import names (package=, or the constant part of
// "app.plugins." + name); a loader whose package is not constant binds
// nothing.

// loaderArg is the object a plugin loader passes as argument idx of fn, a
// module-level function; nil when no loader calls fn's name on a module
// of a package that holds m.
func (p *Project) loaderArg(m *Module, fn *python.Node, idx int) *Object {
	if fn.Parent == nil || fn.Ancestor("function_definition", "class_definition") != nil {
		return nil
	}
	name := fn.ChildByField("name").Text()
	p.CallSites(fn) // builds the index
	for _, c := range p.callIndex[name] {
		f := c.ChildByField("function")
		if f.Kind != "attribute" || f.ChildByField("attribute").Text() != name {
			continue
		}
		recv := f.ChildByField("object").Unparen()
		if recv == nil || recv.Kind != "identifier" {
			continue
		}
		pkg := p.importedPackage(p.ModuleOf(c), recv)
		if pkg == "" || !strings.HasPrefix(m.Name, pkg+".") {
			continue
		}
		if os := p.objectsAt(positional(c.ChildByField("arguments"), idx), Binding{}, 0); len(os) > 0 {
			return os[0]
		}
	}
	return nil
}

// importedPackage is the package whose modules name n is bound to by
// importlib.import_module with a computed name, or "".
func (p *Project) importedPackage(m *Module, n *python.Node) string {
	rhs := p.nameRHS(m, n, n.Text(), 0)
	if rhs == nil || rhs.Unparen().Kind != "call" {
		return ""
	}
	call := rhs.Unparen()
	if q := m.Qualify(call.ChildByField("function").DottedName()); q != "importlib.import_module" {
		return ""
	}
	args := call.ChildByField("arguments")
	if v := p.Eval(keyword(args, "package")); v.Kind == Str {
		return strings.TrimSuffix(v.S, ".")
	}
	first := positional(args, 0).Unparen()
	if first == nil {
		return ""
	}
	if first.Kind == "identifier" { // module = "." + plugin; import_module(module, ...)
		if r := p.nameRHS(m, first, first.Text(), 0); r != nil {
			first = r.Unparen()
		}
	}
	if first.Kind == "binary_operator" && first.HasChildKind("+") {
		if v := p.Eval(first.ChildByField("left")); v.Kind == Str && strings.HasSuffix(v.S, ".") && !strings.HasPrefix(v.S, ".") {
			return strings.TrimSuffix(v.S, ".")
		}
	}
	return ""
}
