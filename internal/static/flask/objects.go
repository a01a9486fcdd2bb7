package flask

import (
	"strconv"
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
	// PrefixUnknown is the url_prefix expression of the constructor when
	// it is computed at run time (its routes' paths lack it).
	PrefixUnknown string
	// Injected says where a loader injects this per-module object
	// (injected.go); "" for objects the module makes itself.
	Injected string
	// JSONAPI marks a flask-rest-jsonapi Api (jsonapi.go): Api(app,
	// blueprint), api.route(Resource, "view", *urls).
	JSONAPI bool
}

// Registration is one register_blueprint call.
type Registration struct {
	Parent    *Object
	Prefix    string
	HasPrefix bool
	Name      string
	// PrefixUnknown is the url_prefix expression when the analysis cannot
	// compute it (the routes' paths lack that part).
	PrefixUnknown string
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

func (p *Project) collectObjects() {
	for _, m := range p.Modules {
		for _, n := range m.File.OfKind("assignment") {
			left, right := n.ChildByField("left"), n.ChildByField("right").Unparen()
			if left != nil && right != nil && right.Kind == "attribute" && p.wrappedFlask(m, right) {
				// flask_app = connexion_app.app: the Flask app a framework
				// app holds.
				if key, ok := p.bindingKey(m, n, left); ok {
					p.objects[key] = &Object{Kind: "app", Module: m, Var: left.Text(), Node: right}
				}
				continue
			}
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
			p.objects[key] = p.newObject(m, kind, ctor, b, left.Text())
		}
	}
	p.collectReturned()
	p.collectNamespaces()
	// Bind Apis and register blueprints once every object is known.
	for _, o := range p.objects {
		if o.Kind == "api" || o.Kind == "restx" {
			args := o.Node.ChildByField("arguments")
			target := positional(args, 0)
			if target == nil {
				target = keyword(args, "app")
			}
			if bp := jsonAPIBlueprint(o, args); bp != nil {
				target = bp
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

// newObject is the object a constructor call makes, bound to name.
func (p *Project) newObject(m *Module, kind string, ctor *python.Node, b Binding, name string) *Object {
	o := &Object{Kind: kind, Module: m, Var: name, Node: ctor}
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
		if kw := keyword(args, "url_prefix"); kw != nil {
			if v := p.EvalIn(kw, b); v.Kind != Str && v.Kind != None {
				o.PrefixUnknown = short(kw.Text())
			}
		}
	case "api", "restx":
		o.Prefix, _ = str(-1, "prefix")
		o.JSONAPI = kind == "api" && p.jsonAPICtor(ctor)
	case "namespace":
		o.Name, _ = str(0, "name")
		var has bool
		if o.Prefix, has = str(-1, "path"); !has {
			o.Prefix = "/" + o.Name
		}
	}
	return o
}

// collectReturned adds the objects a function makes in its return
// statement without naming them (return bp, Api(bp); return
// Blueprint(name, __name__)): the call's caller binds them.
func (p *Project) collectReturned() {
	for _, m := range p.Modules {
		for _, c := range m.File.OfKind("call") {
			r := c.Parent
			for r != nil && r.Kind == "parenthesized_expression" {
				r = r.Parent
			}
			if r != nil && (r.Kind == "tuple" || r.Kind == "expression_list") {
				r = r.Parent
			}
			if r == nil || r.Kind != "return_statement" {
				continue
			}
			kind, ctor, b := p.made(c, 0)
			if kind == "" || ctor != c {
				continue
			}
			p.objects[objKey{m, r.Ancestor("function_definition"), "return@" + strconv.Itoa(c.Start)}] = p.newObject(m, kind, ctor, b, "")
		}
	}
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
