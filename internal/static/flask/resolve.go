package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// objectsAt resolves an expression to every app, blueprint, Api or
// namespace it may stand for: a name (loop variable, parameter, local or
// module binding), module.attr, a list or tuple of them, or the call of a
// project function that returns one. b binds loop variables and route
// factory parameters.
func (p *Project) objectsAt(n *python.Node, b Binding, depth int) []*Object {
	n = n.Unparen()
	if n == nil || depth > 6 {
		return nil
	}
	switch n.Kind {
	case "identifier":
		name := n.Text()
		if b.Scope != nil && b.Scope.Contains(n) {
			if v, ok := b.Loop[name]; ok && v != nil && v != n {
				return p.objectsAt(v, Binding{}, depth+1)
			}
		}
		if v, ok := b.Names[name]; ok && v != nil && v != n && b.Fn != nil && b.Fn.Contains(n) {
			return p.objectsAt(v, Binding{}, depth+1)
		}
		if loop := loopOver(n); loop != nil {
			return p.objectsAt(loop.ChildByField("right"), Binding{}, depth+1)
		}
		if fn := ParamOf(n); fn != nil {
			return p.paramObjects(fn, name, depth)
		}
		if o := p.ObjectAt(n); o != nil {
			return []*Object{o}
		}
		if rhs := p.nameRHS(p.ModuleOf(n), n, name, 0); rhs != nil && rhs != n {
			return p.objectsAt(rhs, Binding{}, depth+1)
		}
		if os := p.unpackedObjects(n, b, depth); len(os) > 0 {
			return os // bp, api = make_pair(name)
		}
	case "attribute":
		if o := p.ObjectAt(n); o != nil {
			return []*Object{o}
		}
		// importlib.import_module("blog." + name).bp, m.bp over a loop of
		// modules: the attribute of each module.
		var out []*Object
		for _, mm := range p.modulesOf(n.ChildByField("object"), b, 0) {
			if o := p.globalObject(mm, n.ChildByField("attribute").Text(), 0); o != nil {
				out = append(out, o)
			}
		}
		return out
	case "subscript":
		// bp["handler"] over a loop of dict literals ({"handler": home,
		// "url_prefix": "/"}): the entry's value in each.
		key, ok := n.ChildByField("subscript").StringValue()
		if !ok {
			return nil
		}
		var out []*Object
		for _, d := range p.dictsAt(n.ChildByField("value"), b) {
			for _, pair := range d.NamedChildren() {
				if k, ok := pair.ChildByField("key").StringValue(); pair.Kind == "pair" && ok && k == key {
					out = append(out, p.objectsAt(pair.ChildByField("value"), Binding{}, depth+1)...)
				}
			}
		}
		return out
	case "binary_operator":
		// BLUEPRINTS + DEFAULT_BLUEPRINTS: the elements of both.
		if n.HasChildKind("+") {
			return append(p.objectsAt(n.ChildByField("left"), b, depth+1), p.objectsAt(n.ChildByField("right"), b, depth+1)...)
		}
	case "list", "tuple", "set", "expression_list":
		var out []*Object
		for _, c := range n.NamedChildren() {
			out = append(out, p.objectsAt(c, b, depth+1)...)
		}
		return out
	case "call":
		for _, o := range p.objects { // the constructor call itself
			if o.Node == n {
				return []*Object{o}
			}
		}
		if o := p.helperInstance(n); o != nil { // orders = make_section("orders")
			return []*Object{o}
		}
		callee := n.ChildByField("function")
		if os, ok := p.importedObjects(n, b); ok {
			return os
		}
		if defs := p.calleeDefs(callee, b); len(defs) > 0 {
			var out []*Object
			for _, def := range defs {
				for _, r := range returns(def) {
					out = append(out, p.objectsAt(r, Binding{}, depth+1)...)
				}
			}
			return out
		}
		// A helper that wraps a blueprint: with_cors(bp).
		if a := positional(n.ChildByField("arguments"), 0); a != nil {
			return p.objectsAt(a, b, depth+1)
		}
	}
	return nil
}

// paramObjects resolves a parameter to the objects every call site passes.
func (p *Project) paramObjects(fn *python.Node, name string, depth int) []*Object {
	if p.resolvingParams[fn] {
		return nil
	}
	p.resolvingParams[fn] = true
	defer delete(p.resolvingParams, fn)
	var out []*Object
	seen := map[*Object]bool{}
	for _, cs := range p.CallSites(fn) {
		for _, o := range p.objectsAt(cs.Arg(fn, name), Binding{}, depth+1) {
			if !seen[o] {
				seen[o] = true
				out = append(out, o)
			}
		}
	}
	if len(out) == 0 {
		// No call names it: an app a framework or a plugin loader passes.
		if idx := paramIndex(fn, name); idx >= 0 {
			m := p.ModuleOf(fn)
			if o := p.annotatedApp(m, fn, idx); o != nil {
				return []*Object{o}
			}
			if o := p.loaderArg(m, fn, idx); o != nil {
				return []*Object{o}
			}
		}
	}
	return out
}

// nameRHS is the expression a name is bound to: the last local
// assignment before n, else the module's, else the imported module's.
func (p *Project) nameRHS(m *Module, n *python.Node, name string, depth int) *python.Node {
	if m == nil || depth > 6 {
		return nil
	}
	if n != nil {
		if fn := n.Ancestor("function_definition"); fn != nil {
			if rhs := LocalAssign(fn, name, n.Start); rhs != nil {
				return rhs
			}
		}
	}
	if rhs := m.Assigns[name]; len(rhs) > 0 {
		return rhs[len(rhs)-1]
	}
	if imp, ok := m.Imports[name]; ok && imp.Name != "" {
		if mm := p.Module(imp.Module); mm != nil && mm != m {
			return p.nameRHS(mm, nil, imp.Name, depth+1)
		}
	}
	return nil
}

// returns lists the expressions a function returns (not nested functions').
func returns(def *python.Node) []*python.Node {
	var out []*python.Node
	def.ChildByField("body").Walk(func(c *python.Node) bool {
		switch c.Kind {
		case "function_definition", "class_definition", "lambda":
			return false
		case "return_statement":
			if v := c.NamedChildren(); len(v) > 0 {
				out = append(out, v[0])
			}
			return false
		}
		return true
	})
	return out
}

// collectNamespaces adds the namespaces made by api.namespace("name").
func (p *Project) collectNamespaces() {
	for _, m := range p.Modules {
		for _, n := range m.File.OfKind("assignment") {
			left, right := n.ChildByField("left"), n.ChildByField("right").Unparen()
			if left == nil || left.Kind != "identifier" || right == nil || right.Kind != "call" {
				continue
			}
			fn := right.ChildByField("function")
			if fn.Kind != "attribute" || fn.ChildByField("attribute").Text() != "namespace" {
				continue
			}
			api := p.ObjectAt(fn.ChildByField("object"))
			if api == nil || api.Kind != "restx" {
				continue
			}
			args := right.ChildByField("arguments")
			o := &Object{Kind: "namespace", Module: m, Var: left.Text(), Node: right, Name: p.strArg(args, 0, "name")}
			o.Prefix = "/" + o.Name
			if kw := keyword(args, "path"); kw != nil {
				o.Prefix = p.Eval(kw).S
			}
			o.Regs = []Registration{{Parent: api}}
			p.objects[objKey{m, n.Ancestor("function_definition"), o.Var}] = o
		}
	}
}

// importedObjects resolves werkzeug's import_string("pkg.mod:bp") or
// import_string("pkg.mod.bp") and getattr(MODULE, "bp") over constant
// names (ok is false for other calls).
func (p *Project) importedObjects(call *python.Node, b Binding) ([]*Object, bool) {
	m := p.ModuleOf(call)
	d := call.ChildByField("function").DottedName()
	args := call.ChildByField("arguments")
	switch q := m.Qualify(d); {
	case q == "werkzeug.utils.import_string" || q == "werkzeug.import_string":
		var out []*Object
		for _, v := range p.evalAll(positional(args, 0), b) {
			if v.Kind != Str {
				continue
			}
			mod, attr, ok := strings.Cut(v.S, ":")
			if !ok {
				mod, attr, ok = cutLast(v.S)
			}
			if mm := p.Module(mod); ok && mm != nil {
				if o := p.globalObject(mm, attr, 0); o != nil {
					out = append(out, o)
				}
			}
		}
		return out, true
	case d == "getattr":
		attr := p.EvalIn(positional(args, 1), b)
		if attr.Kind != Str {
			return nil, true
		}
		var out []*Object
		for _, mm := range p.modulesOf(positional(args, 0), b, 0) {
			if o := p.globalObject(mm, attr.S, 0); o != nil {
				out = append(out, o)
			}
		}
		return out, true
	}
	return nil, false
}

// evalAll evaluates n under b, or once per element of the literal list an
// enclosing loop runs over when b binds nothing.
func (p *Project) evalAll(n *python.Node, b Binding) []Value {
	if len(b.Loop) > 0 || len(b.Names) > 0 {
		return []Value{p.EvalIn(n, b)}
	}
	var out []Value
	for _, eb := range p.expandLoops(Binding{Site: n}, n) {
		out = append(out, p.EvalIn(n, eb))
	}
	return out
}
