package rules

// Which config class the app loads by default (held-out-informed, batch-3
// triage): a SECRET_KEY or DEBUG literal in a base or development class
// that the class the app loads replaces is not the deployed setting.

import (
	"path"
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// loadedConfigs: every config.from_object call of the project, with the
// classes it may load when the environment selects nothing (cands; nil
// when the argument is not resolved).
type loadedConfigs struct {
	calls []loadCall
}

type loadCall struct {
	call  *python.Node
	root  string
	cands []*python.Node // class definitions
}

func (ps *Pass) loadedConfigs() *loadedConfigs {
	if ps.loadedCfg != nil {
		return ps.loadedCfg
	}
	ps.loadedCfg = &loadedConfigs{}
	for _, c := range ps.Calls {
		fn := c.Node.ChildByField("function")
		if fn == nil || !strings.HasSuffix(fn.Text(), "config.from_object") || ps.unpassedBranch(c.Node) {
			continue
		}
		var cands []*python.Node
		if arg := c.Arg(0, "obj"); arg != nil {
			cands = ps.configCands(arg, c.Module, 0)
		}
		ps.loadedCfg.calls = append(ps.loadedCfg.calls, loadCall{call: c.Node, root: ps.Project.RootOf(c.Module), cands: cands})
	}
	return ps.loadedCfg
}

// configCands resolves an argument of from_object to the classes it may
// load by default: a class or its dotted name, MAPPING[key] or
// MAPPING.get(key, fallback) with MAPPING a dict of names to classes and
// key a literal or an environment read with a default, a parameter whose
// default is one of these, a local assigned one of these (every
// assignment the environment's default does not rule out is a
// candidate), or a string computed from an environment default. nil
// when unknown.
func (ps *Pass) configCands(n *python.Node, m *flask.Module, depth int) []*python.Node {
	n = n.Unparen()
	if n == nil || m == nil || depth > 5 {
		return nil
	}
	switch n.Kind {
	case "string":
		if s, ok := n.StringValue(); ok {
			return one(ps.classRef(s, m))
		}
	case "identifier", "attribute":
		if cl := ps.classRef(n.Text(), m); cl != nil {
			return []*python.Node{cl}
		}
		if n.Kind == "identifier" {
			if cs, found := ps.localCands(n, m, depth); found {
				return cs
			}
		}
	case "subscript":
		dict := ps.dictNamed(n.ChildByField("value"), ps.Project.RootOf(m))
		return ps.dictCands(dict, ps.defaultKey(n.ChildByField("subscript")), nil, depth)
	case "call":
		fn := n.ChildByField("function")
		args := n.ChildByField("arguments").NamedChildren()
		if fn != nil && fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "get" && len(args) >= 1 {
			dict := ps.dictNamed(fn.ChildByField("object"), ps.Project.RootOf(m))
			var fallback *python.Node
			if len(args) > 1 {
				fallback = args[1]
			}
			return ps.dictCands(dict, ps.defaultKey(args[0]), fallback, depth)
		}
		// from_object(DevelopmentConfig(db)): an instance of the class
		// (held-out-informed, batch 6: pylau-app-flask).
		if fn != nil && (fn.Kind == "identifier" || fn.Kind == "attribute") {
			if cl := ps.classRef(fn.Text(), m); cl != nil {
				return []*python.Node{cl}
			}
		}
	}
	// "config.{}".format(os.environ.get("APP_SETTINGS", "Config")).
	if s, none, ok := ps.defaultStr(n, 0); ok && !none && s != "" {
		return one(ps.classRef(s, m))
	}
	if s, _, ok := literalOf(ps.Project.Eval(n)); ok {
		return one(ps.classRef(s, m))
	}
	return nil
}

// dictCands: the classes dict[key] names, or fallback's when the dict has
// no such key.
func (ps *Pass) dictCands(dict *python.Node, key string, fallback *python.Node, depth int) []*python.Node {
	if dict == nil || key == "" {
		return nil
	}
	dm := ps.Project.ModuleOf(dict)
	for _, pair := range dict.NamedChildren() {
		if pair.Kind != "pair" {
			continue
		}
		if k, ok := pair.ChildByField("key").StringValue(); ok && k == key {
			return ps.configCands(pair.ChildByField("value"), dm, depth+1)
		}
	}
	if fallback != nil {
		return ps.configCands(fallback, ps.Project.ModuleOf(fallback), depth+1)
	}
	return nil
}

func one(cl *python.Node) []*python.Node {
	if cl == nil {
		return nil
	}
	return []*python.Node{cl}
}

// classRef: the project class a dotted name stands for from module m (by
// its imports), or the one class of that last name in m's import root.
func (ps *Pass) classRef(dotted string, m *flask.Module) *python.Node {
	if _, cl := ps.Project.ResolveClass(m, dotted); cl != nil && cl.Kind == "class_definition" {
		return cl
	}
	s := dotted[strings.LastIndex(dotted, ".")+1:]
	// from config import ProdConfig, where several trees have a config.py:
	// the one on the path of the importing file's directory.
	first, rest, dotted2 := strings.Cut(dotted, ".")
	if imp, ok := m.Imports[first]; ok {
		mod, name := imp.Module, imp.Name
		if name == "" || dotted2 {
			if name != "" {
				mod += "." + name
			}
			name = rest
		}
		if mm := ps.nearModule(m, mod); mm != nil && !strings.Contains(name, ".") {
			if cl := mm.Classes[name]; cl != nil {
				return cl
			}
		}
	}
	if defs := ps.classDefs()[ps.Project.RootOf(m)+"\x00"+s]; len(defs) == 1 {
		return defs[0]
	}
	return nil
}

func (ps *Pass) classDefs() map[string][]*python.Node {
	if ps.classByName == nil {
		ps.classByName = map[string][]*python.Node{}
		for _, m := range ps.Project.Modules {
			for _, cl := range m.File.OfKind("class_definition") {
				name := ps.Project.RootOf(m) + "\x00" + cl.ChildByField("name").Text()
				ps.classByName[name] = append(ps.classByName[name], cl)
			}
		}
	}
	return ps.classByName
}

// dictNamed: the dict literal a module-level NAME (or mod.NAME) is
// assigned, when the tree assigns exactly one.
func (ps *Pass) dictNamed(n *python.Node, root string) *python.Node {
	if n == nil || n.Kind != "identifier" && n.Kind != "attribute" {
		return nil
	}
	name := n.Text()
	name = name[strings.LastIndex(name, ".")+1:]
	var found *python.Node
	for _, m := range ps.Project.Modules {
		if ps.Project.RootOf(m) != root {
			continue
		}
		for _, a := range m.File.OfKind("assignment") {
			if a.Ancestor("function_definition", "class_definition") != nil || a.ChildByField("left").Text() != name {
				continue
			}
			r := a.ChildByField("right")
			if r == nil || r.Kind != "dictionary" || found != nil {
				return nil
			}
			found = r
		}
	}
	return found
}

// defaultKey: the key a subscript uses when the environment sets nothing:
// a literal, or a name whose assignments in the function (and parameter
// default) are one environment read with a literal default, literals and
// None.
func (ps *Pass) defaultKey(n *python.Node) string {
	if n == nil {
		return ""
	}
	n = n.Unparen()
	if s, ok := n.StringValue(); ok {
		return s
	}
	v := ps.Project.Eval(n)
	if v.Kind == flask.Env {
		if s, _, ok := literalOf(v); ok {
			return s
		}
		return ""
	}
	if n.Kind != "identifier" {
		return ""
	}
	def := n.Ancestor("function_definition")
	if def == nil {
		return ""
	}
	key := ""
	ok := true
	// def create_app(run_mode=os.getenv("FLASK_ENV", "production")).
	for _, prm := range def.ChildByField("parameters").NamedChildren() {
		if prm.Kind != "default_parameter" && prm.Kind != "typed_default_parameter" || prm.ChildByField("name").Text() != n.Text() {
			continue
		}
		val := prm.ChildByField("value")
		if val == nil || val.Text() == "None" {
			continue
		}
		if s, _, lit := literalOf(ps.Project.Eval(val)); lit {
			key = s
		} else {
			ok = false
		}
	}
	def.ChildByField("body").Walk(func(a *python.Node) bool {
		if a.Kind == "function_definition" || a.Kind == "class_definition" || a.Start >= n.Start {
			return false
		}
		if a.Kind != "assignment" || a.ChildByField("left").Text() != n.Text() {
			return true
		}
		r := a.ChildByField("right")
		if r == nil {
			return true
		}
		if v := ps.Project.Eval(r); v.Kind == flask.Env {
			s, _, lit := literalOf(v)
			if !lit || key != "" && key != s {
				ok = false
			}
			key = s
			return true
		}
		ok = false // set otherwise: not the environment's default
		return true
	})
	if !ok {
		return ""
	}
	return key
}

// nearModule: the module a script-style import of name means from m: of
// the project modules so named, the one rooted in the nearest directory
// above m's file; nil when none or two at the same depth.
func (ps *Pass) nearModule(m *flask.Module, name string) *flask.Module {
	dir := path.Dir(m.File.Path)
	rel := strings.ReplaceAll(name, ".", "/")
	var best *flask.Module
	bestLen, tie := -1, false
	for _, mm := range ps.Project.Modules {
		p := strings.TrimSuffix(strings.TrimSuffix(mm.File.Path, "/__init__.py"), ".py")
		if p != rel && !strings.HasSuffix(p, "/"+rel) {
			continue
		}
		root := strings.TrimSuffix(strings.TrimSuffix(p, rel), "/")
		if root != "" && dir != root && !strings.HasPrefix(dir, root+"/") {
			continue
		}
		switch {
		case len(root) > bestLen:
			best, bestLen, tie = mm, len(root), false
		case len(root) == bestLen:
			tie = true
		}
	}
	if tie {
		return nil
	}
	return best
}

// unpassedBranch: the from_object call lies in the branch a parameter of
// its function selects when a caller passes it (if test_config: ..., the
// else of if not test_config / if test_config is None), and no call of
// the function in the analysed code (tests are left out) passes that
// parameter: the branch of
// Flask's create_app(test_config=None) pattern that only the test suite
// takes (held-out-informed, batch 6: pylau-app-flask).
func (ps *Pass) unpassedBranch(call *python.Node) bool {
	fn := call.Ancestor("function_definition")
	if fn == nil {
		return false
	}
	params := map[string]bool{}
	for _, p := range fn.ChildByField("parameters").NamedChildren() {
		if p.Kind == "default_parameter" || p.Kind == "typed_default_parameter" {
			if v := p.ChildByField("value"); v != nil && v.Kind == "none" {
				params[p.ChildByField("name").Text()] = true
			}
		}
	}
	for cur := call; cur.Parent != nil && cur != fn; cur = cur.Parent {
		ifs := cur.Parent
		if ifs.Kind != "if_statement" {
			continue
		}
		flag, unsetWhenTrue := guardFlag(ifs.ChildByField("condition"))
		if flag == "" || !params[flag] {
			continue
		}
		inCons := cur.Field() == "consequence"
		if inCons == unsetWhenTrue || !inCons && cur.Kind != "else_clause" {
			continue
		}
		// No call in the analysed code (a WSGI target "app:create_app()",
		// the test suite left out) passes nothing either.
		for _, cs := range ps.callSites(fn) {
			if cs.Arg(fn, flag) != nil {
				return false
			}
		}
		return true
	}
	return false
}
