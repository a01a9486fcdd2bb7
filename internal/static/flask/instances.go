package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Objects held by instances and classes, and made by project factories:
// self.app = Flask(...), Service(app) setting self.app = app, a class-body
// blueprint, create_blueprint(name) returning Blueprint(name, ...).

// bindingKey is where an object assigned to left is kept: a name in its
// function or module, or an attribute of a class (self.app = Flask(...)
// in a method, app = Flask(...) in the class body).
func (p *Project) bindingKey(m *Module, assign, left *python.Node) (objKey, bool) {
	switch left.Kind {
	case "identifier":
		fn := assign.Ancestor("function_definition")
		if cls := assign.Ancestor("class_definition"); cls != nil && (fn == nil || !cls.Contains(fn)) {
			return objKey{m, cls, "." + left.Text()}, true
		}
		return objKey{m, fn, left.Text()}, true
	case "attribute":
		if cls := selfClass(left.ChildByField("object")); cls != nil {
			return objKey{m, cls, "." + left.ChildByField("attribute").Text()}, true
		}
		// app.api = Api(app): an attribute set on a name of the scope.
		// (Not on a module object made at run time: page.manager =
		// Blueprint(...) before exec_module(page) is an injection into the
		// module's globals, injected.go.)
		if obj := left.ChildByField("object").Unparen(); obj != nil && obj.Kind == "identifier" && !p.runtimeModule(m, obj) {
			return objKey{m, assign.Ancestor("function_definition"), obj.Text() + "." + left.ChildByField("attribute").Text()}, true
		}
	}
	return objKey{}, false
}

// selfClass is the class whose method's first parameter n names (self,
// cls), or nil.
func selfClass(n *python.Node) *python.Node {
	n = n.Unparen()
	if n == nil || n.Kind != "identifier" {
		return nil
	}
	fn := ParamOf(n)
	if fn == nil || len(Params(fn)) == 0 || Params(fn)[0] != n.Text() {
		return nil
	}
	cls := fn.Ancestor("class_definition")
	if cls == nil || fn.Ancestor("function_definition") != nil && cls.Contains(fn.Ancestor("function_definition")) {
		return nil
	}
	return cls
}

// classesOf resolves an expression to the classes it is or is an
// instance of: self in a method, a class name, a name bound to Cls(...).
func (p *Project) classesOf(n *python.Node) []classRef {
	n = n.Unparen()
	m := p.ModuleOf(n)
	if n == nil || m == nil {
		return nil
	}
	if cls := selfClass(n); cls != nil {
		return []classRef{{m, cls}}
	}
	d := n.DottedName()
	if d == "" {
		return nil
	}
	if cm, cls := p.ResolveClass(m, d); cls != nil {
		return []classRef{{cm, cls}}
	}
	if n.Kind == "identifier" {
		if rhs := p.nameRHS(m, n, d, 0); rhs != nil && rhs.Unparen().Kind == "call" {
			call := rhs.Unparen()
			if cm, cls := p.ResolveClass(p.ModuleOf(call), call.ChildByField("function").DottedName()); cls != nil {
				return []classRef{{cm, cls}}
			}
		}
	}
	return nil
}

// made says what object a call makes: a Flask, Blueprint, Api or
// Namespace constructor (or a project subclass), or a project function
// that returns one (create_blueprint(name) returning Blueprint(name, ...),
// timed_blueprint(Blueprint(...)) returning its argument). ctor is the
// constructor call and b binds the factory's parameters to this call.
// passThrough are third-party functions documented to return the app or
// Api they are given, by qualified name: one row per function.
var passThrough = map[string]bool{
	"flask_restful_swagger.swagger.docs": true, // swagger.docs(Api(app), apiVersion=...)
}

func (p *Project) made(call *python.Node, depth int) (kind string, ctor *python.Node, b Binding) {
	if !p.enter() {
		return "", nil, Binding{}
	}
	defer p.leave()
	call = call.Unparen()
	if call == nil || call.Kind != "call" || depth > 3 {
		return "", nil, Binding{}
	}
	m := p.ModuleOf(call)
	callee := call.ChildByField("function")
	if d := callee.DottedName(); d != "" {
		if k := p.objectKind(m, d); k != "" {
			return k, call, Binding{}
		}
		if cls := localClass(callee); cls != nil {
			if k := p.classKind(m, cls); k != "" {
				return k, call, Binding{}
			}
		}
	}
	// Third-party wrappers that hand back the object they are given
	// (flask_restful_swagger's swagger.docs(Api(app), ...)): data.
	if d := callee.DottedName(); d != "" && passThrough[m.Qualify(d)] {
		if k, c, ib := p.made(positional(call.ChildByField("arguments"), 0), depth+1); k != "" {
			return k, c, ib
		}
	}
	// Factories are plain project functions (resolved by name: cheap, as
	// this runs for every assignment of a call).
	_, fdef := p.ResolveFunc(m, callee.DottedName())
	if fdef == nil {
		return "", nil, Binding{}
	}
	for _, def := range []*python.Node{fdef} {
		cs := CallSite{Call: call}
		bind := Binding{Names: map[string]*python.Node{}, Fn: def, Site: call}
		for _, name := range Params(def) {
			if a := cs.Arg(def, name); a != nil {
				bind.Names[name] = a
			}
		}
		for _, r := range returns(def) {
			r = r.Unparen()
			if r.Kind == "identifier" {
				if a, ok := bind.Names[r.Text()]; ok && ParamOf(r) == def {
					if k, c, ib := p.made(a, depth+1); k != "" {
						return k, c, ib // the factory hands back its argument
					}
					continue
				}
				if ctor := p.returnedLocal(def, r); ctor != nil {
					return "blueprint", ctor, p.helperCtorBinding(def, ctor, bind) // one per call (helperobj.go)
				}
				continue // a local object: its own routes and registrations
			}
			if r.Kind != "call" {
				continue
			}
			if k := p.objectKind(p.ModuleOf(r), r.ChildByField("function").DottedName()); k != "" {
				return k, r, bind
			}
		}
	}
	return "", nil, Binding{}
}

// attrObject resolves self.attr = EXPR in a class's methods: EXPR an
// object, or a parameter of __init__ bound by the calls that make
// instances (Service(app) makes self.app the app).
func (p *Project) attrObject(c classRef, attr string) *Object {
	if p.resolvingParams[c.cls] {
		return nil
	}
	p.resolvingParams[c.cls] = true
	defer delete(p.resolvingParams, c.cls)
	for _, a := range c.mod.File.OfKind("assignment") {
		left := a.ChildByField("left")
		if !c.cls.Contains(a) || left == nil || left.Kind != "attribute" || left.ChildByField("attribute").Text() != attr ||
			selfClass(left.ChildByField("object")) != c.cls {
			continue
		}
		rhs := a.ChildByField("right").Unparen()
		if o := p.ObjectAt(rhs); o != nil {
			return o
		}
		fn := ParamOf(rhs)
		if fn == nil || fn.ChildByField("name").Text() != "__init__" {
			continue
		}
		idx := -1
		for i, name := range Params(fn) {
			if name == rhs.Text() {
				idx = i - 1 // self is implicit
			}
		}
		for _, site := range p.instantiations(c) {
			args := site.ChildByField("arguments")
			arg := keyword(args, rhs.Text())
			if arg == nil && idx >= 0 {
				arg = positional(args, idx)
			}
			if o := p.ObjectAt(arg); o != nil {
				return o
			}
		}
	}
	return nil
}

// instantiations are the calls of a class's name that make instances.
func (p *Project) instantiations(c classRef) []*python.Node {
	p.CallSites(c.cls) // builds the call index
	var out []*python.Node
	name := c.cls.ChildByField("name").Text()
	for _, call := range p.callIndex[name] {
		if _, cls := p.ResolveClass(p.ModuleOf(call), call.ChildByField("function").DottedName()); cls == c.cls {
			out = append(out, call)
		}
	}
	return out
}

// annotatedApp resolves a parameter annotated as a Flask app (app: Flask,
// in a hook a plugin manager calls) to the one app of its tree; nil when
// the tree has none or several.
func (p *Project) annotatedApp(m *Module, fn *python.Node, idx int) *Object {
	prms := fn.ChildByField("parameters").NamedChildren()
	if idx < 0 || idx >= len(prms) {
		return nil
	}
	t := prms[idx].ChildByField("type")
	typed := t != nil && constructorKind(m.Qualify(t.Text())) == "app"
	if !typed && !p.frameworkCalled(m, fn, Params(fn)[idx]) {
		return nil
	}
	root := p.rootOf(m)
	var app *Object
	for _, o := range p.objects {
		if o.Kind == "app" && p.rootOf(o.Module) == root {
			if app != nil && app != o {
				return nil
			}
			app = o
		}
	}
	return app
}

// runtimeModule reports whether name n is bound to a module object made at
// run time (importlib's module_from_spec or import_module, types.ModuleType).
func (p *Project) runtimeModule(m *Module, n *python.Node) bool {
	rhs := p.nameRHS(m, n, n.Text(), 0)
	if rhs == nil || rhs.Unparen().Kind != "call" {
		return false
	}
	d := m.Qualify(rhs.Unparen().ChildByField("function").DottedName())
	for _, f := range []string{"module_from_spec", "import_module", "ModuleType", "new_module", "__import__"} {
		if d == f || strings.HasSuffix(d, "."+f) {
			return true
		}
	}
	return false
}

// wrappers are framework apps that hold a Flask app, by qualified class
// name prefix: the attribute that holds it (connexion.App(...).app).
var wrappers = map[string]string{
	"connexion.App":                     "app",
	"connexion.FlaskApp":                "app",
	"connexion.apps.flask_app.FlaskApp": "app",
	"connexion.apps.flask.FlaskApp":     "app",
}

// wrappedFlask reports whether attr (X.app) is the Flask app a framework
// app X holds, X bound to its constructor call.
func (p *Project) wrappedFlask(m *Module, attr *python.Node) bool {
	obj := attr.ChildByField("object").Unparen()
	if obj == nil || obj.Kind != "identifier" {
		return false
	}
	rhs := p.nameRHS(m, obj, obj.Text(), 0)
	if rhs == nil || rhs.Unparen().Kind != "call" {
		return false
	}
	held, ok := wrappers[m.Qualify(rhs.Unparen().ChildByField("function").DottedName())]
	return ok && held == attr.ChildByField("attribute").Text()
}
