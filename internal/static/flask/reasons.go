package flask

import (
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// receiverReason says why the receiver of a route declaration (the X of
// @X.route, X.add_url_rule, X.add_resource) is not a known app,
// blueprint, Api or namespace: what X is bound to, as far as the model
// followed it.
func (p *Project) receiverReason(n *python.Node) string {
	n = n.Unparen()
	if n == nil {
		return "the receiver is not a known app, blueprint, Api or namespace"
	}
	text := n.Text()
	if len(text) > 60 {
		text = text[:60] + "…"
	}
	m := p.ModuleOf(n)
	switch n.Kind {
	case "identifier":
		if cls := selfClassOf(n); cls != nil {
			if k := p.classKind(m, cls); k != "" {
				return fmt.Sprintf("the receiver %s is an instance of %s, a project subclass of the framework's %s class: it registers per instance, and no instance the analysis resolves is made in the project (a framework class other code instantiates, or one made by a loader)",
					text, cls.ChildByField("name").Text(), k)
			}
		}
		if fn := ParamOf(n); fn != nil {
			name := fn.ChildByField("name").Text()
			sites := p.CallSites(fn)
			if len(sites) == 0 {
				return fmt.Sprintf("the receiver %s is a parameter of %s(), which no project code calls by name (a framework, a plugin loader or a dynamic call invokes it)", text, name)
			}
			return fmt.Sprintf("the receiver %s is a parameter of %s(); none of its %d call site(s) passes a known app, blueprint or Api", text, name, len(sites))
		}
		if loopOver(n) != nil {
			return fmt.Sprintf("the receiver %s is a loop variable over a list that is not a literal of known objects", text)
		}
		if rhs := p.nameRHS(m, n, n.Text(), 0); rhs != nil {
			if u := rhs.Unparen(); u.Kind == "call" {
				callee := u.ChildByField("function").Text()
				if why := p.notFlask(p.ModuleOf(u), u); why != "" {
					if p.curDecl != nil && !p.curDecl.Resolved {
						p.curDecl.NotFlask = why
					}
					return fmt.Sprintf("not a Flask registration: the receiver %s is made by %s(…), %s", text, short(callee), why)
				}
				return fmt.Sprintf("the receiver %s is made by %s(…), which is not Flask, Blueprint, an Api or a project function returning one", text, short(callee))
			}
			if u := rhs.Unparen(); u.Kind == "attribute" {
				if at := p.loaderSetsAttr(u.ChildByField("attribute").Text()); at != "" {
					return fmt.Sprintf("the receiver %s is bound to %s, which does not resolve to an app, blueprint or Api: a loader sets that attribute at run time (%s)", text, short(rhs.Text()), at)
				}
			}
			return fmt.Sprintf("the receiver %s is bound to %s, which does not resolve to an app, blueprint or Api", text, short(rhs.Text()))
		}
		if imp, ok := m.Imports[n.Text()]; ok {
			if p.Module(imp.Module) == nil && p.Module(imp.Module+"."+imp.Name) == nil {
				return fmt.Sprintf("the receiver %s is imported from %s, outside the analysed directory", text, imp.Module)
			}
			return fmt.Sprintf("the receiver %s is imported from %s, where it is not a known app, blueprint or Api", text, imp.Module)
		}
		if at := p.injectedAt(n.Text()); at != "" {
			return fmt.Sprintf("the receiver %s is a global the loader injects into the module at run time (%s), not bound in this file", text, at)
		}
		return fmt.Sprintf("the receiver %s is not bound anywhere the analysis sees (a global injected at run time?)", text)
	case "attribute":
		obj := n.ChildByField("object")
		attr := n.ChildByField("attribute").Text()
		if cs := p.classesOf(obj); len(cs) > 0 {
			if at := p.loaderSetsAttr(attr); at != "" {
				return fmt.Sprintf("the receiver %s is attribute %s of class %s, never set to a known app, blueprint or Api in the source: a loader sets it at run time (%s)", text, attr, cs[0].cls.ChildByField("name").Text(), at)
			}
			return fmt.Sprintf("the receiver %s is attribute %s of class %s, never set to a known app, blueprint or Api", text, attr, cs[0].cls.ChildByField("name").Text())
		}
		if d := obj.DottedName(); d != "" {
			if first, _, _ := strings.Cut(d, "."); m.Imports[first].Module != "" && p.moduleFor(m, d) == nil {
				return fmt.Sprintf("the receiver %s belongs to %s, outside the analysed directory", text, m.Imports[first].Module)
			}
		}
		return fmt.Sprintf("the receiver %s is an attribute the analysis does not resolve", text)
	case "call":
		return fmt.Sprintf("the receiver is the result of %s(…), which does not resolve to an app, blueprint or Api", short(n.ChildByField("function").Text()))
	}
	return "the receiver " + text + " is not a known app, blueprint, Api or namespace"
}

func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// injectedAt finds "X.name = Flask/Blueprint(...)" on a module object
// (a page loaded with module_from_spec and given its blueprint) and says
// where; "" when there is none.
func (p *Project) injectedAt(name string) string {
	if p.injected == nil {
		p.injected = map[string]string{}
		for _, m := range p.Modules {
			for _, a := range m.File.OfKind("assignment") {
				left, right := a.ChildByField("left"), a.ChildByField("right").Unparen()
				if left == nil || left.Kind != "attribute" || right == nil || right.Kind != "call" {
					continue
				}
				if k, _, _ := p.made(right, 0); k != "" {
					attr := left.ChildByField("attribute").Text()
					if _, seen := p.injected[attr]; !seen {
						p.injected[attr] = fmt.Sprintf("%s = %s(…) at %s:%d", left.Text(), short(right.ChildByField("function").Text()), m.File.Path, a.Line)
					}
				}
			}
		}
	}
	return p.injected[name]
}

// lostRegistrations names the register_blueprint calls of o's tree the
// model could not resolve (receiver or blueprint): where o is most
// likely registered.
func (p *Project) lostRegistrations(o *Object) string {
	root := p.rootOf(o.Module)
	var in []*python.Node
	var foreign []string
	for _, n := range p.lostRegs {
		if r := p.rootOf(p.ModuleOf(n)); r == root || root == "" || strings.HasPrefix(r, root+".") {
			if q := p.thirdPartyBlueprint(n); q != "" {
				// An extension's own blueprint (flask_sse's sse): it is
				// not o, and o cannot be registered on it.
				foreign = append(foreign, q)
				continue
			}
			in = append(in, n)
		}
	}
	if len(in) == 0 {
		s := "; no register_blueprint call in its tree names it (registered by a framework or plugin loader, or not at all)"
		if why := p.unimported(o.Module); why != "" {
			s = why
		}
		if len(foreign) > 0 {
			s += "; every call it cannot resolve passes a third-party blueprint (" + foreign[0] + ")"
		}
		return s
	}
	n := in[0]
	s := fmt.Sprintf("; %d register_blueprint call(s) in its tree pass a blueprint or app the analysis cannot resolve, e.g. %s:%d `%s`",
		len(in), n.File.Path, n.Line, short(n.Text()))
	return s
}

// selfClassOf is the class whose method binds n as its first parameter
// (self), or nil.
func selfClassOf(n *python.Node) *python.Node {
	fn := ParamOf(n)
	if fn == nil {
		return nil
	}
	ps := Params(fn)
	if len(ps) == 0 || ps[0] != n.Text() {
		return nil
	}
	cls := fn.Ancestor("class_definition")
	if cls == nil || fn.Ancestor("function_definition") != nil && cls.Contains(fn.Ancestor("function_definition")) {
		return nil
	}
	return cls
}

// thirdPartyBlueprint is the qualified name of the blueprint a
// register_blueprint call n passes when it is a name imported from a
// module outside the project (from flask_sse import sse), or "".
func (p *Project) thirdPartyBlueprint(n *python.Node) string {
	m := p.ModuleOf(n)
	if m == nil {
		return ""
	}
	var bp *python.Node
	if p.isPartial(n) { // partial(app.register_blueprint, bp, ...)
		bp = argsOf(n).positional(1)
	} else { // app.register_blueprint(bp), or reg(): a partial bound to bp
		_, args := p.callee(n)
		bp = args.arg("register_blueprint", 0)
	}
	if bp == nil || bp.Kind != "identifier" {
		return ""
	}
	imp, ok := m.Imports[bp.Text()]
	if !ok || imp.Module == "" || strings.HasPrefix(imp.Module, ".") {
		return ""
	}
	top, _, _ := strings.Cut(imp.Module, ".")
	for _, name := range []string{top, imp.Module, imp.Module + "." + imp.Name} {
		if p.Module(name) != nil {
			return ""
		}
	}
	for _, pm := range p.Modules {
		if pm.Name == top || strings.HasPrefix(pm.Name, top+".") || strings.HasSuffix(pm.Name, "."+top) || strings.Contains(pm.Name, "."+top+".") {
			return "" // a package of the project by that name
		}
	}
	if imp.Name == "" {
		return imp.Module
	}
	return imp.Module + "." + imp.Name
}

// unimported says, for a module no import statement of the project
// names (import pkg.mod, from pkg import mod, from pkg.mod import x, a
// relative form) and no string of the project names either (a dotted
// path or a module name an import_module loop or a loader may use), that
// it never runs; "" otherwise.
func (p *Project) unimported(m *Module) string {
	if m == nil || m.Name == "" || m.IsPackage {
		return ""
	}
	name := m.Name
	last := name[strings.LastIndex(name, ".")+1:]
	for _, o := range p.Modules {
		if o == m {
			continue
		}
		for _, st := range o.File.OfKind("import_statement") {
			for _, c := range st.NamedChildren() {
				d := c
				if c.Kind == "aliased_import" {
					d = c.ChildByField("name")
				}
				if t := d.Text(); t == name || strings.HasPrefix(t, name+".") {
					return ""
				}
			}
		}
		for _, st := range o.File.OfKind("import_from_statement") {
			mod := st.ChildByField("module_name")
			if mod == nil {
				continue
			}
			from := o.resolveRelative(mod.Text())
			if from == name || strings.HasPrefix(from, name+".") {
				return ""
			}
			for _, c := range st.Children() {
				if c.Field() != "name" {
					continue
				}
				n := c
				if c.Kind == "aliased_import" {
					n = c.ChildByField("name")
				}
				if from+"."+n.Text() == name || strings.HasSuffix(name, "."+from+"."+n.Text()) {
					return ""
				}
			}
		}
		for _, s := range o.File.OfKind("string") {
			if v, ok := s.StringValue(); ok && (v == last || strings.Contains(v, name) || strings.Contains(v, strings.ReplaceAll(name, ".", "/"))) {
				return ""
			}
		}
	}
	return "; its module " + m.File.Path + " is imported by no module of the project and named by no string in it (run as a script at most): nothing registers the blueprint"
}
