package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Object is a Flask app, a Blueprint or a Flask-RESTful Api.
type Object struct {
	// Kind is "app", "blueprint", "api" (Flask-RESTful), "restx" (a
	// flask-restx or flask-restplus Api), "namespace" (theirs), or "site"
	// (routes a framework serves from the app: Flask-AppBuilder views,
	// connexion operations).
	Kind   string
	Module *Module
	Var    string
	// Name is a blueprint's name (its endpoint prefix).
	Name string
	// Prefix is the url_prefix given at construction (Api: prefix=).
	Prefix string
	Node   *python.Node
	// Parent is the app or blueprint an Api is bound to.
	Parent *Object
	Regs   []Registration
}

// Registration is one register_blueprint call.
type Registration struct {
	Parent    *Object
	Prefix    string
	HasPrefix bool
	Name      string
}

type objKey struct {
	mod  *Module
	fn   *python.Node
	name string
}

// constructors are classes of frameworks built on Flask that make apps
// and blueprints, by qualified name: data, one row per class.
var constructors = map[string]string{
	"apiflask.APIFlask":           "app",
	"apiflask.APIBlueprint":       "blueprint",
	"apiflask.app.APIFlask":       "app",
	"flask_openapi3.OpenAPI":      "app",
	"flask_openapi3.APIBlueprint": "blueprint",
	"flask_smorest.Blueprint":     "blueprint",
}

func constructorKind(qualified string) string {
	if k, ok := constructors[qualified]; ok {
		return k
	}
	last := qualified[strings.LastIndex(qualified, ".")+1:]
	switch last {
	case "Flask":
		return "app"
	case "Blueprint":
		return "blueprint"
	case "Api":
		switch {
		case strings.Contains(qualified, "restx") || strings.Contains(qualified, "restplus"):
			return "restx"
		case strings.Contains(qualified, "smorest"):
			return ""
		}
		return "api"
	case "Namespace":
		if strings.Contains(qualified, "restx") || strings.Contains(qualified, "restplus") {
			return "namespace"
		}
	}
	return ""
}

// objectKind is the kind of object a constructor call makes: Flask,
// Blueprint, Api or Namespace, or a project class deriving from one
// (class MyFlask(Flask)).
func (p *Project) objectKind(m *Module, callee string) string {
	if k := constructorKind(m.Qualify(callee)); k != "" {
		return k
	}
	cm, cls := p.ResolveClass(m, callee)
	if cls == nil {
		return ""
	}
	for _, c := range p.classChain(cm, cls) {
		for _, b := range c.cls.ChildByField("superclasses").NamedChildren() {
			if d := b.DottedName(); d != "" {
				if k := constructorKind(c.mod.Qualify(d)); k != "" {
					return k
				}
			}
		}
	}
	return ""
}

func (p *Project) collectObjects() {
	for _, m := range p.Modules {
		for _, n := range m.File.OfKind("assignment") {
			left, right := n.ChildByField("left"), n.ChildByField("right").Unparen()
			if left == nil || right == nil || right.Kind != "call" {
				continue
			}
			key, ok := p.bindingKey(m, n, left)
			if !ok {
				continue
			}
			kind, ctor, b := p.made(right, 0)
			if kind == "" {
				continue
			}
			o := &Object{Kind: kind, Module: m, Var: left.Text(), Node: ctor}
			args := ctor.ChildByField("arguments")
			str := func(pos int, name string) (string, bool) {
				n := keyword(args, name)
				if pos >= 0 && positional(args, pos) != nil {
					n = positional(args, pos)
				}
				v := p.EvalIn(n, b)
				return v.S, n != nil
			}
			switch kind {
			case "blueprint":
				o.Name, _ = str(0, "name")
				o.Prefix, _ = str(-1, "url_prefix")
			case "api", "restx":
				o.Prefix, _ = str(-1, "prefix")
			case "namespace":
				o.Name, _ = str(0, "name")
				var has bool
				if o.Prefix, has = str(-1, "path"); !has {
					o.Prefix = "/" + o.Name
				}
			}
			p.objects[key] = o
		}
	}
	p.collectNamespaces()
	// Bind Apis and register blueprints once every object is known.
	for _, o := range p.objects {
		if o.Kind == "api" || o.Kind == "restx" {
			args := o.Node.ChildByField("arguments")
			target := positional(args, 0)
			if target == nil {
				target = keyword(args, "app")
			}
			o.Parent = p.ObjectAt(target)
		}
	}
	for _, m := range p.Modules {
		for _, n := range m.File.OfKind("call") {
			p.bindCall(n)
		}
	}
}

func (p *Project) bindCall(n *python.Node) {
	if p.isPartial(n) {
		// partial(app.register_blueprint, bp, url_prefix=...) with the
		// blueprint bound is made to be called, however it is called
		// later (a list of registrators run in a loop).
		a := argsOf(n)
		if len(a.pos) < 2 {
			return
		}
		if f := a.pos[0].Unparen(); f.Kind == "attribute" && f.ChildByField("attribute").Text() == "register_blueprint" {
			if recv := p.ObjectAt(f.ChildByField("object")); recv != nil {
				if !p.registerBlueprint(recv, n, callArgs{pos: a.pos[1:], kw: a.kw}) {
					p.lostRegs = append(p.lostRegs, n)
				}
			}
		}
		return
	}
	fn, args := p.callee(n)
	if fn == nil || fn.Kind != "attribute" {
		return
	}
	attr := fn.ChildByField("attribute").Text()
	if attr != "init_app" && attr != "register_blueprint" && attr != "add_namespace" {
		return
	}
	recv := p.ObjectAt(fn.ChildByField("object"))
	if recv == nil {
		if attr == "register_blueprint" {
			p.lostRegs = append(p.lostRegs, n)
		}
		return
	}
	switch attr {
	case "init_app":
		if recv.Kind == "api" || recv.Kind == "restx" {
			recv.Parent = p.ObjectAt(args.positional(0))
		}
	case "register_blueprint":
		if !p.registerBlueprint(recv, n, args) {
			p.lostRegs = append(p.lostRegs, n)
		}
	case "add_namespace":
		for _, ns := range p.objectsAt(args.positional(0), Binding{}, 0) {
			if ns.Kind != "namespace" {
				continue
			}
			r := Registration{Parent: recv}
			if kw := args.keyword("path"); kw != nil {
				r.HasPrefix, r.Prefix = true, p.Eval(kw).S
			}
			ns.Regs = append(ns.Regs, r)
		}
	}
}

// registerBlueprint records app.register_blueprint(EXPR): EXPR may name
// several blueprints (a loop over a list, a helper's parameter), each
// with the url_prefix of its own loop element.
func (p *Project) registerBlueprint(recv *Object, call *python.Node, args callArgs) bool {
	registered := false
	// A helper's parameters (mount(app, bp, "/admin")) bind per call site.
	sites := []Binding{{Site: call}}
	for _, a := range []*python.Node{args.positional(0), args.keyword("url_prefix"), args.keyword("name")} {
		if fn := ParamOf(a.Unparen()); fn != nil {
			if bs := p.Bindings(fn, 0); len(bs) > 0 {
				sites = bs
			}
			break
		}
	}
	var expanded []Binding
	for _, s := range sites {
		expanded = append(expanded, p.expandLoops(s, call)...)
	}
	for _, b := range expanded {
		for _, bp := range p.objectsAt(args.positional(0), b, 0) {
			if bp.Kind != "blueprint" {
				continue
			}
			r := Registration{Parent: recv}
			if kw := args.keyword("url_prefix"); kw != nil {
				r.HasPrefix = true
				r.Prefix = p.EvalIn(kw, b).S
			}
			if v := p.EvalIn(args.keyword("name"), b); v.Kind == Str {
				r.Name = v.S
			}
			if !hasReg(bp.Regs, r) {
				bp.Regs = append(bp.Regs, r)
			}
			registered = true
		}
	}
	return registered
}

func hasReg(regs []Registration, r Registration) bool {
	for _, x := range regs {
		if x == r {
			return true
		}
	}
	return false
}

// ObjectAt resolves an expression to an app, blueprint or Api: a name in
// the enclosing function or module, an imported name, or module.attr.
func (p *Project) ObjectAt(n *python.Node) *Object {
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
		// app = create_app() where the factory hands back an object made
		// elsewhere (a module-level app): the name is that object.
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
		return nil
	case "attribute":
		// pkg.views.blueprint: a module reached through imports.
		if mm := p.moduleFor(m, n.ChildByField("object").DottedName()); mm != nil {
			return p.globalObject(mm, n.ChildByField("attribute").Text(), 0)
		}
		// self.app, Server.app, server.app: an attribute of a class.
		attr := n.ChildByField("attribute").Text()
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

// positional returns the i-th positional argument.
func positional(args *python.Node, i int) *python.Node {
	k := 0
	for _, a := range args.NamedChildren() {
		switch a.Kind {
		case "keyword_argument", "list_splat", "dictionary_splat":
			continue
		}
		if k == i {
			return a
		}
		k++
	}
	return nil
}

// keyword returns the value of a keyword argument.
func keyword(args *python.Node, name string) *python.Node {
	for _, a := range args.NamedChildren() {
		if a.Kind == "keyword_argument" && a.ChildByField("name").Text() == name {
			return a.ChildByField("value")
		}
	}
	return nil
}

// strArg evaluates a string argument given by position (pos >= 0) or name.
func (p *Project) strArg(args *python.Node, pos int, name string) string {
	var n *python.Node
	if pos >= 0 {
		n = positional(args, pos)
	}
	if n == nil {
		n = keyword(args, name)
	}
	if v := p.Eval(n); v.Kind == Str {
		return v.S
	}
	return ""
}

// paramIndex is the position of a plain parameter, or -1.
func paramIndex(fn *python.Node, name string) int {
	for i, prm := range fn.ChildByField("parameters").NamedChildren() {
		if prm.Kind == "identifier" && prm.Text() == name {
			return i
		}
		if c := prm.NamedChildren(); prm.Kind == "typed_parameter" && len(c) > 0 && c[0].Kind == "identifier" && c[0].Text() == name {
			return i
		}
	}
	return -1
}

// argObject resolves a function parameter to the object every call of the
// function passes in that position (init_app(app) / create_api(app)).
func (p *Project) argObject(m *Module, fn *python.Node, idx int) *Object {
	key := argKey{fn, idx}
	if o, ok := p.argMemo[key]; ok {
		return o
	}
	o := p.argObjectUncached(m, fn, idx)
	p.argMemo[key] = o
	return o
}

type argKey struct {
	fn  *python.Node
	idx int
}

func (p *Project) argObjectUncached(m *Module, fn *python.Node, idx int) *Object {
	if p.resolvingParams[fn] {
		return nil
	}
	p.resolvingParams[fn] = true
	defer delete(p.resolvingParams, fn)
	var found *Object
	for _, cs := range p.CallSites(fn) {
		// The argument may be any expression that names an object: a
		// name, a parameter, or a call of a factory (standalone(create_app())).
		if os := p.objectsAt(positional(cs.Call.ChildByField("arguments"), idx-cs.selfShift(fn)), Binding{}, 0); len(os) > 0 {
			found = os[0]
			break
		}
	}
	if found == nil {
		found = p.annotatedApp(m, fn, idx)
	}
	return found
}

// made says what object a call makes: a Flask, Blueprint, Api or
// Namespace constructor (or a project subclass), or a project function
// that returns one (create_blueprint(name) returning Blueprint(name, ...),
// timed_blueprint(Blueprint(...)) returning its argument). ctor is the
// constructor call and b binds the factory's parameters to this call.
func (p *Project) made(call *python.Node, depth int) (kind string, ctor *python.Node, b Binding) {
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
	}
	for _, def := range p.calleeDefs(callee, Binding{}) {
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
