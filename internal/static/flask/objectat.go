package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// ObjectAt resolves an expression to an app, blueprint or Api: a name in
// the enclosing function or module, an imported name, or module.attr.
func (p *Project) ObjectAt(n *python.Node) *Object {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	n = n.Unparen()
	if n == nil {
		return nil
	}
	m := p.ModuleOf(n)
	if m == nil {
		return nil
	}
	switch n.Kind {
	case "identifier":
		for fn := n.Ancestor("function_definition"); fn != nil; fn = fn.Ancestor("function_definition") {
			if o := p.objects[objKey{m, fn, n.Text()}]; o != nil {
				return o
			}
			if idx := paramIndex(fn, n.Text()); idx >= 0 {
				return p.argObject(m, fn, idx)
			}
		}
		// A name used in a class body (a decorator there) is the class's.
		if cls := n.Ancestor("class_definition"); cls != nil {
			if fn := n.Ancestor("function_definition"); fn == nil || !cls.Contains(fn) {
				if o := p.objects[objKey{m, cls, "." + n.Text()}]; o != nil {
					return o
				}
			}
		}
		if o := p.globalObject(m, n.Text(), 0); o != nil {
			return o
		}
		if o := p.injectedObject(m, n); o != nil {
			return o
		}
		// flask.current_app: the app of this tree, when it has one.
		if m.Qualify(n.Text()) == "flask.current_app" {
			return p.treeApp(m)
		}
		// app = create_app() where the factory hands back an object made
		// elsewhere (a module-level app): the name is that object.
		// bp = globals()[key] after globals()[key] = mhelp.blueprint: the
		// value written under the same key.
		if rhs := p.nameRHS(m, n, n.Text(), 0); rhs != nil && !p.resolvingParams[rhs] {
			if w := globalsWrite(m, rhs.Unparen()); w != nil {
				p.resolvingParams[rhs] = true
				defer delete(p.resolvingParams, rhs)
				if o := p.ObjectAt(w); o != nil {
					return o
				}
			}
		}
		// _app = app_param (a global set from a parameter): the
		// parameter's object.
		if rhs := p.nameRHS(m, n, n.Text(), 0); rhs != nil && rhs.Unparen().Kind == "identifier" && rhs.Unparen().Text() != n.Text() && ParamOf(rhs.Unparen()) != nil && !p.resolvingParams[rhs] {
			p.resolvingParams[rhs] = true
			defer delete(p.resolvingParams, rhs)
			if o := p.ObjectAt(rhs); o != nil {
				return o
			}
		}
		if rhs := p.nameRHS(m, n, n.Text(), 0); rhs != nil && rhs.Unparen().Kind == "attribute" && !p.resolvingParams[rhs] {
			// app = server.app: the attribute's object.
			p.resolvingParams[rhs] = true
			defer delete(p.resolvingParams, rhs)
			return p.ObjectAt(rhs)
		}
		if rhs := p.nameRHS(m, n, n.Text(), 0); rhs != nil && rhs.Unparen().Kind == "call" && !p.resolvingParams[rhs] {
			p.resolvingParams[rhs] = true
			defer delete(p.resolvingParams, rhs)
			var os []*Object
			for _, def := range p.calleeDefs(rhs.Unparen().ChildByField("function"), Binding{}) {
				for _, r := range returns(def) {
					os = append(os, p.objectsAt(r, Binding{}, 1)...)
				}
			}
			if len(os) == 1 {
				return os[0]
			}
		}
		// bp, api = make_pair(name): the part of what it returns.
		if os := p.unpackedObjects(n, Binding{}, 1); len(os) == 1 {
			return os[0]
		}
		return nil
	case "attribute":
		// pkg.views.blueprint: a module reached through imports.
		if mm := p.moduleFor(m, n.ChildByField("object").DottedName()); mm != nil {
			return p.globalObject(mm, n.ChildByField("attribute").Text(), 0)
		}
		// self.app, Server.app, server.app: an attribute of a class.
		attr := n.ChildByField("attribute").Text()
		// app.api (app.api = Api(app) in the same scope or an enclosing one).
		if obj := n.ChildByField("object").Unparen(); obj != nil && obj.Kind == "identifier" {
			for fn := n.Ancestor("function_definition"); ; fn = fn.Ancestor("function_definition") {
				if o := p.objects[objKey{m, fn, obj.Text() + "." + attr}]; o != nil {
					return o
				}
				if fn == nil {
					break
				}
			}
		}
		for _, c := range p.classesOf(n.ChildByField("object")) {
			for _, ref := range p.classChain(c.mod, c.cls) {
				if o := p.objects[objKey{ref.mod, ref.cls, "." + attr}]; o != nil {
					return o
				}
			}
			if o := p.attrObject(c, attr); o != nil {
				return o
			}
		}
	}
	return nil
}

// moduleFor resolves a dotted name that denotes a project module from
// module m: "views" (import views), "user.views" (from app import user).
func (p *Project) moduleFor(m *Module, dotted string) *Module {
	if dotted == "" {
		return nil
	}
	first, rest, _ := strings.Cut(dotted, ".")
	imp, ok := m.Imports[first]
	if !ok {
		return nil
	}
	target := imp.Module
	if imp.Name != "" {
		target += "." + imp.Name
	}
	if rest != "" {
		target += "." + rest
	}
	return p.Module(target)
}

func (p *Project) globalObject(m *Module, name string, depth int) *Object {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	if depth > 8 {
		return nil
	}
	if o := p.objects[objKey{m, nil, name}]; o != nil {
		return o
	}
	if imp, ok := m.Imports[name]; ok {
		if imp.Name == "" {
			return nil
		}
		if mm := p.Module(imp.Module); mm != nil && mm != m {
			return p.globalObject(mm, imp.Name, depth+1)
		}
	}
	// A name bound only inside one function (an app factory) is still the
	// object when no other binding exists.
	var found *Object
	for k, o := range p.objects {
		if k.mod == m && k.name == name {
			if found != nil {
				return nil
			}
			found = o
		}
	}
	return found
}
