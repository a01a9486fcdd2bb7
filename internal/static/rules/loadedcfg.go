package rules

// Which config class the app loads by default (held-out-informed, batch-3
// triage): a SECRET_KEY or DEBUG literal in a base or development class
// that the class the app loads replaces is not the deployed setting.

import (
	"maps"
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// loadedConfigs per tree: the classes the app's config.from_object calls
// load by default, and where; nil for a tree whose selection is unknown
// (a call not resolved, or none at all).
type loadedConfigs struct {
	classes map[string]*python.Node // class name -> the from_object call
	unknown bool
}

func (ps *Pass) loadedConfigs() map[string]*loadedConfigs {
	if ps.loadedCfg != nil {
		return ps.loadedCfg
	}
	ps.loadedCfg = map[string]*loadedConfigs{}
	for _, c := range ps.Calls {
		fn := c.Node.ChildByField("function")
		if fn == nil || !strings.HasSuffix(fn.Text(), "config.from_object") {
			continue
		}
		root := ps.Project.RootOf(c.Module)
		lc := ps.loadedCfg[root]
		if lc == nil {
			lc = &loadedConfigs{classes: map[string]*python.Node{}}
			ps.loadedCfg[root] = lc
		}
		name := ps.defaultConfigClass(c)
		if name == "" {
			lc.unknown = true
			continue
		}
		lc.classes[name] = c.Node
	}
	return ps.loadedCfg
}

// defaultConfigClass resolves the argument of from_object to the class it
// loads when the environment selects nothing: a class or its dotted name,
// or MAPPING[key] with MAPPING a dict of names to classes and key a
// literal or an environment read with a default. "" when unknown.
func (ps *Pass) defaultConfigClass(c Call) string {
	arg := c.Arg(0, "obj")
	if arg == nil {
		return ""
	}
	arg = arg.Unparen()
	switch arg.Kind {
	case "identifier", "attribute", "string":
		return ps.classNamed(arg, c.Module)
	case "subscript":
		dict := ps.dictNamed(arg.ChildByField("value"), ps.Project.RootOf(c.Module))
		key := ps.defaultKey(arg.ChildByField("subscript"))
		if dict == nil || key == "" {
			return ""
		}
		for _, pair := range dict.NamedChildren() {
			if pair.Kind != "pair" {
				continue
			}
			if k, ok := pair.ChildByField("key").StringValue(); ok && k == key {
				return ps.classNamed(pair.ChildByField("value").Unparen(), c.Module)
			}
		}
	}
	return ""
}

// classNamed: the last name of a class reference or dotted string, when
// the project defines a class of that name.
func (ps *Pass) classNamed(n *python.Node, m *flask.Module) string {
	if n == nil {
		return ""
	}
	s := n.Text()
	if n.Kind == "string" {
		v, ok := n.StringValue()
		if !ok {
			return ""
		}
		s = v
	} else if n.Kind != "identifier" && n.Kind != "attribute" {
		return ""
	}
	s = s[strings.LastIndex(s, ".")+1:]
	if len(ps.classDefs()[ps.Project.RootOf(m)+"\x00"+s]) == 0 {
		return ""
	}
	return s
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

// configLoadedNote judges a config literal set in a class body: "" when
// it is what the app loads by default, or the selection is unknown (keep
// the finding); otherwise why it is not, naming the class the app loads.
func (ps *Pass) configLoadedNote(stmt *python.Node, key string) string {
	cls := stmt.Ancestor("class_definition", "function_definition")
	if cls == nil || cls.Kind != "class_definition" {
		return ""
	}
	m := ps.Project.ModuleOf(stmt)
	if m == nil {
		return ""
	}
	lc := ps.loadedConfigs()[ps.Project.RootOf(m)]
	if lc == nil || lc.unknown || len(lc.classes) == 0 {
		return ""
	}
	name := cls.ChildByField("name").Text()
	var loaded []string
	for _, l := range slices.Sorted(maps.Keys(lc.classes)) { // one order every run
		call := lc.classes[l]
		eff, known := ps.effectiveClass(ps.Project.RootOf(m), l, key, map[string]bool{})
		if !known || eff == name {
			return ""
		}
		where := l + " (" + strings.TrimSpace(call.Text()) + " at " + call.File.Path + ":" + itoa(call.Line) + ")"
		if eff == l {
			where += ", which sets its own " + key
		} else if eff != "" {
			where += ", which takes " + key + " from " + eff
		} else {
			where += ", which does not inherit " + name
		}
		loaded = append(loaded, where)
	}
	return key + " here is set in " + name + ", which the app does not load by default: it loads " + strings.Join(loaded, "; ")
}

// effectiveClass: the class whose body sets key for class name, searching
// its bases depth first; known is false when a base is not the project's.
func (ps *Pass) effectiveClass(root, name, key string, seen map[string]bool) (string, bool) {
	if seen[name] {
		return "", true
	}
	seen[name] = true
	defs := ps.classDefs()[root+"\x00"+name]
	if len(defs) != 1 {
		return "", false // not the project's, or ambiguous
	}
	cl := defs[0]
	if classSets(cl, key) {
		return name, true
	}
	if sup := cl.ChildByField("superclasses"); sup != nil {
		for _, b := range sup.NamedChildren() {
			if b.Kind != "identifier" && b.Kind != "attribute" {
				continue
			}
			bn := b.Text()
			bn = bn[strings.LastIndex(bn, ".")+1:]
			if bn == "object" {
				continue
			}
			eff, known := ps.effectiveClass(root, bn, key, seen)
			if !known || eff != "" {
				return eff, known
			}
		}
	}
	return "", true
}

// classSets: the class body assigns key (also under an if in the body).
func classSets(cl *python.Node, key string) bool {
	found := false
	cl.ChildByField("body").Walk(func(a *python.Node) bool {
		if found || a.Kind == "function_definition" || a.Kind == "class_definition" {
			return false
		}
		if a.Kind == "assignment" && a.ChildByField("left").Text() == key {
			found = true
		}
		return true
	})
	return found
}

// demoteUnloaded turns the finding just added (after index before) into a
// low review item when the config class holding it is not the one loaded.
func (ps *Pass) demoteUnloaded(before int, stmt *python.Node, key string) {
	if len(ps.Findings) == before {
		return
	}
	note := ps.configLoadedNote(stmt, key)
	if note == "" {
		return
	}
	f := &ps.Findings[len(ps.Findings)-1]
	if f.Severity.Rank() > finding.Low.Rank() {
		f.Severity = finding.Low
	}
	f.Confidence = finding.Tentative
	f.Message = "review: " + strings.TrimPrefix(f.Message, "review: ") + " (" + note + ")"
}
