package rules

// Judging a config literal against the classes from_object loads
// (held-out-informed, batch-3 triage and the batch-4 one run).

import (
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// configLoadedNote judges a config literal set in a class body: "" when
// some class the app may load by default has it (itself or inherited
// without an override), or the selection is unknown (keep the finding);
// otherwise why it is not, naming the classes the app loads.
func (ps *Pass) configLoadedNote(stmt *python.Node, key string) string {
	note, _ := ps.loadedNote(stmt, key)
	return note
}

// loadedNote is configLoadedNote with the classes whose bodies set key
// for the loaded classes.
func (ps *Pass) loadedNote(stmt *python.Node, key string) (string, []*python.Node) {
	cls := stmt.Ancestor("class_definition", "function_definition")
	if cls == nil || cls.Kind != "class_definition" {
		return "", nil
	}
	m := ps.Project.ModuleOf(stmt)
	if m == nil {
		return "", nil
	}
	type pick struct{ call, cand *python.Node }
	var rel []pick
	roots := map[string]bool{ps.Project.RootOf(m): true}
	for _, lc := range ps.loadedConfigs().calls {
		for _, cand := range lc.cands {
			if ps.chainTouches(cand, cls.File) {
				rel = append(rel, pick{lc.call, cand})
				roots[lc.root] = true
			}
		}
	}
	if len(rel) == 0 {
		return "", nil
	}
	for _, lc := range ps.loadedConfigs().calls {
		// An unresolved from_object beside it may load this class, unless
		// nothing in those roots names the class but its own definition.
		if lc.cands == nil && roots[lc.root] && !ps.neverNamed(cls, roots) {
			return "", nil
		}
	}
	name := cls.ChildByField("name").Text()
	var loaded []string
	var effs []*python.Node
	seen := map[string]bool{}
	for _, p := range rel {
		eff, known := ps.effectiveClass(p.cand, key, map[*python.Node]bool{})
		if !known || eff == cls {
			return "", nil
		}
		if eff != nil {
			effs = append(effs, eff)
		}
		l := p.cand.ChildByField("name").Text()
		where := l + " (" + strings.TrimSpace(p.call.Text()) + " at " + p.call.File.Path + ":" + itoa(p.call.Line) + ")"
		switch {
		case eff == p.cand:
			where += ", which sets its own " + key
		case eff != nil:
			where += ", which takes " + key + " from " + eff.ChildByField("name").Text()
		default:
			where += ", which does not inherit " + name
		}
		if !seen[where] {
			seen[where] = true
			loaded = append(loaded, where)
		}
	}
	return key + " here is set in " + name + ", which the app does not load by default: it loads " + strings.Join(loaded, "; "), effs
}

// baseClasses: the project classes cl inherits from; known is false when
// a base is not the project's.
func (ps *Pass) baseClasses(cl *python.Node) ([]*python.Node, bool) {
	sup := cl.ChildByField("superclasses")
	if sup == nil {
		return nil, true
	}
	m := ps.Project.ModuleOf(cl)
	var out []*python.Node
	for _, b := range sup.NamedChildren() {
		if b.Kind != "identifier" && b.Kind != "attribute" {
			continue // keyword arguments (metaclass=...)
		}
		if b.Text() == "object" {
			continue
		}
		bc := ps.classRef(b.Text(), m)
		if bc == nil {
			return nil, false
		}
		out = append(out, bc)
	}
	return out, true
}

// chainTouches: cand or a class it inherits from is defined in file.
func (ps *Pass) chainTouches(cand *python.Node, file *python.File) bool {
	seen := map[*python.Node]bool{}
	var walk func(cl *python.Node) bool
	walk = func(cl *python.Node) bool {
		if seen[cl] {
			return false
		}
		seen[cl] = true
		if cl.File == file {
			return true
		}
		bases, _ := ps.baseClasses(cl)
		for _, b := range bases {
			if walk(b) {
				return true
			}
		}
		return false
	}
	return walk(cand)
}

// effectiveClass: the class whose body sets key for cl, searching its
// bases depth first; known is false when a base is not the project's.
func (ps *Pass) effectiveClass(cl *python.Node, key string, seen map[*python.Node]bool) (*python.Node, bool) {
	if seen[cl] {
		return nil, true
	}
	seen[cl] = true
	if classSets(cl, key) {
		return cl, true
	}
	bases, known := ps.baseClasses(cl)
	if !known {
		return nil, false
	}
	for _, b := range bases {
		eff, known := ps.effectiveClass(b, key, seen)
		if !known || eff != nil {
			return eff, known
		}
	}
	return nil, true
}

// neverNamed: the class's name occurs in the modules of roots only in
// its own definition (no reference, string, or subclass names it).
func (ps *Pass) neverNamed(cls *python.Node, roots map[string]bool) bool {
	re, err := regexp.Compile(`\b` + regexp.QuoteMeta(cls.ChildByField("name").Text()) + `\b`)
	if err != nil {
		return false
	}
	count := 0
	for _, m := range ps.Project.Modules {
		if roots[ps.Project.RootOf(m)] {
			count += len(re.FindAllIndex(m.File.Src, 2))
		}
	}
	return count == 1
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
// low review item when the config class holding it is not the one loaded,
// or the setting is applied only under test (testingcfg.go).
func (ps *Pass) demoteUnloaded(before int, stmt *python.Node, key string) {
	if len(ps.Findings) == before {
		return
	}
	note := ps.configLoadedNote(stmt, key)
	if note == "" {
		if c := ps.testingOnly(stmt); c != nil {
			ps.refute(before, step(c, "", key+" here is set only when the app runs under test ("+oneLineText(c.Text())+
				" at "+c.File.Path+":"+itoa(c.Line)+"): not what the deployed app runs with"))
		} else if why := ps.unreferencedModule(stmt); why != "" {
			ps.refute(before, step(stmt, "", why))
		}
		return
	}
	ps.refute(before, step(stmt, "", note))
}

// demoteClassLiteral: demoteUnloaded for a finding just added on a key
// that a call reads from app.config (jwt.encode(data,
// app.config["JWT_SECRET"])), when the literal is a config class's
// setting: judged on the class the app loads, as for SECRET_KEY.
func (ps *Pass) demoteClassLiteral(before int) {
	if len(ps.Findings) == before {
		return
	}
	loc := ps.Findings[len(ps.Findings)-1].Location
	if loc == nil {
		return
	}
	for _, m := range ps.Project.Modules {
		if m.File.Path != loc.File {
			continue
		}
		for _, a := range m.File.OfKind("assignment") {
			if a.Line != loc.Line || a.ChildByField("left").Kind != "identifier" {
				continue
			}
			cls := a.Ancestor("class_definition", "function_definition")
			if cls == nil || cls.Kind != "class_definition" {
				continue
			}
			key := a.ChildByField("left").Text()
			// The call reads one setting: when the class the app loads
			// hardcodes it too, that weakness stands.
			_, effs := ps.loadedNote(a, key)
			for _, eff := range effs {
				if ps.classHardcodes(eff, key) {
					return
				}
			}
			ps.demoteUnloaded(before, a, key)
			return
		}
	}
}

// classHardcodes: the class body assigns key a literal (or an
// environment read with a literal default).
func (ps *Pass) classHardcodes(cl *python.Node, key string) bool {
	found := false
	cl.ChildByField("body").Walk(func(a *python.Node) bool {
		if found || a.Kind == "function_definition" || a.Kind == "class_definition" {
			return false
		}
		if a.Kind == "assignment" && a.ChildByField("left").Text() == key {
			if r := a.ChildByField("right"); r != nil {
				if v, _, ok := literalOf(ps.Project.Eval(r)); ok && v != "" {
					found = true
				}
			}
		}
		return true
	})
	return found
}
