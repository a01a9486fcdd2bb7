package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Views add_url_rule names: a local function, a name bound to a view, a
// view a project factory makes, a method of the class (self.view), and
// why a view expression names no function.

// localFunc finds a function defined by name in the scope enclosing n.
func localFunc(n *python.Node) *python.Node {
	return localDef(n, "function_definition")
}

// viewExpr follows a name bound to a view (view = Thing.as_view("thing"))
// to the expression that made it.
func (p *Project) viewExpr(n *python.Node) *python.Node {
	u := n.Unparen()
	if u == nil || u.Kind != "identifier" {
		return n
	}
	if _, def := p.ResolveFunc(p.ModuleOf(u), u.Text()); def != nil {
		return n
	}
	if localFunc(u) != nil {
		return n
	}
	if rhs := p.nameRHS(p.ModuleOf(u), u, u.Text(), 0); rhs != nil && rhs.Unparen().Kind == "call" {
		return rhs.Unparen()
	}
	return n
}

// viewReason says why a view expression names no function: a class given
// itself (a project wrapper of add_url_rule turns it into a view), a name
// given as a string, a parameter, or a name bound nowhere the model sees.
func (p *Project) viewReason(view *python.Node) string {
	text := short(view.Text())
	m := p.ModuleOf(view)
	switch {
	case view.Kind == "string":
		return "the view is given by name (" + text + "), looked up at run time by a project wrapper"
	case m != nil && view.DottedName() != "":
		if _, cls := p.ResolveClass(m, view.DottedName()); cls != nil {
			return "the view is class " + text + " itself, not " + text + ".as_view(...): a project wrapper of add_url_rule makes the view (not followed)"
		}
		if ParamOf(view) != nil {
			return "the view " + text + " is a parameter no call binds to a function the model resolves"
		}
		first, _, _ := strings.Cut(view.DottedName(), ".")
		if imp, ok := m.Imports[first]; ok && p.Module(imp.Module) == nil && p.moduleFor(m, view.DottedName()) == nil {
			return "the view " + text + " is imported from " + imp.Module + ", outside the analysed directory (a library's view: its code and checks are not in the tree)"
		}
	}
	return "view function " + text + " not found"
}

// madeView is the view a project factory makes and returns when the view
// expression is a call of it: a function defined inside the factory (or a
// lambda) it returns, as redirect_view(".display") or
// make_redirect(bp, "login") do. A call given a function or class is a
// decorator wrapping that view, never a factory: nil.
func (p *Project) madeView(call *python.Node, b Binding) *python.Node {
	m := p.ModuleOf(call)
	_, fdef := p.ResolveFunc(m, call.ChildByField("function").DottedName())
	if fdef == nil || fdef.Kind != "function_definition" {
		return nil
	}
	for _, a := range call.ChildByField("arguments").NamedChildren() {
		if a.Kind == "keyword_argument" {
			a = a.ChildByField("value")
		}
		a = b.bound(a).Unparen()
		if a == nil {
			continue
		}
		if a.Kind == "lambda" {
			return nil
		}
		if d := a.DottedName(); d != "" {
			if _, f := p.ResolveFunc(p.ModuleOf(a), d); f != nil {
				return nil
			}
			if _, c := p.ResolveClass(p.ModuleOf(a), d); c != nil {
				return nil
			}
		}
	}
	for _, r := range returns(fdef) {
		r = r.Unparen()
		if r == nil {
			continue
		}
		if r.Kind == "lambda" {
			return r
		}
		if r.Kind != "identifier" {
			continue
		}
		for _, st := range fdef.ChildByField("body").NamedChildren() {
			d := st
			if st.Kind == "decorated_definition" {
				d = st.ChildByField("definition")
			}
			if d.Kind == "function_definition" && d.ChildByField("name").Text() == r.Text() {
				return d
			}
		}
	}
	return nil
}

// selfMethod is the method self.name names inside a method of a project
// class (blueprint.add_url_rule("/", view_func=self.prompt)): the class's
// own or inherited definition (a subclass may override it: the route is
// the class's as written).
func (p *Project) selfMethod(view *python.Node) (*Module, *python.Node) {
	v := view.Unparen()
	if v == nil || v.Kind != "attribute" {
		return nil, nil
	}
	cls := selfClass(v.ChildByField("object"))
	if cls == nil {
		return nil, nil
	}
	m := p.ModuleOf(cls)
	ref, def := classMember(p.classChain(m, cls), v.ChildByField("attribute").Text())
	if def == nil || def.Kind != "function_definition" {
		return nil, nil
	}
	return ref.mod, def
}
