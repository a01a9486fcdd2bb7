package flask

// Finding modules and definitions by name: dotted module names, by suffix,
// and functions and classes imported between modules.

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// ModuleOf returns the module of a node.
func (p *Project) ModuleOf(n *python.Node) *Module {
	if n == nil {
		return nil
	}
	return p.byFile[n.File]
}

// Module finds a project module by dotted name; a name imported relative
// to a different root ("config" for "app/config.py") matches by suffix when
// that is unambiguous.
func (p *Project) Module(name string) *Module {
	if m, ok := p.byName[name]; ok {
		return m
	}
	if p.bySuffix == nil {
		// Every proper dotted suffix of every module name, nil when
		// several modules share it (ambiguous).
		p.bySuffix = map[string]*Module{}
		for _, m := range p.Modules {
			for i := strings.IndexByte(m.Name, '.'); i >= 0; {
				suf := m.Name[i+1:]
				if prev, seen := p.bySuffix[suf]; seen && prev != m {
					p.bySuffix[suf] = nil
				} else {
					p.bySuffix[suf] = m
				}
				j := strings.IndexByte(suf, '.')
				if j < 0 {
					break
				}
				i += j + 1
			}
		}
	}
	return p.bySuffix[name]
}

// ResolveFunc finds the function definition a dotted name refers to from
// module m: a local def, or one imported from another project module.
func (p *Project) ResolveFunc(m *Module, dotted string) (*Module, *python.Node) {
	return p.resolveDef(m, dotted, 0, func(mm *Module, name string) *python.Node { return mm.Funcs[name] })
}

// ResolveClass is ResolveFunc for classes.
func (p *Project) ResolveClass(m *Module, dotted string) (*Module, *python.Node) {
	return p.resolveDef(m, dotted, 0, func(mm *Module, name string) *python.Node { return mm.Classes[name] })
}

func (p *Project) resolveDef(m *Module, dotted string, depth int, get func(*Module, string) *python.Node) (*Module, *python.Node) {
	if !p.enter() {
		return nil, nil
	}
	defer p.leave()
	if m == nil || dotted == "" || depth > 8 {
		return nil, nil
	}
	first, rest, hasRest := strings.Cut(dotted, ".")
	if !hasRest {
		if d := get(m, first); d != nil {
			return m, d
		}
		// An alias: web_v1 = web.
		if rhs := m.Assigns[first]; len(rhs) > 0 {
			if alias := rhs[len(rhs)-1].DottedName(); alias != "" && alias != first {
				return p.resolveDef(m, alias, depth+1, get)
			}
		}
		if imp, ok := m.Imports[first]; ok && imp.Name != "" {
			if mm := p.Module(imp.Module); mm != nil && mm != m {
				return p.resolveDef(mm, imp.Name, depth+1, get)
			}
			if mm := p.Module(imp.Module + "." + imp.Name); mm != nil {
				return nil, nil
			}
		}
		// from pkg.misc import * (a package re-exporting its modules):
		// the last star import that defines the name wins, as in Python.
		if !strings.HasPrefix(first, "_") {
			for i := len(m.Stars) - 1; i >= 0; i-- {
				if mm := p.Module(m.Stars[i]); mm != nil && mm != m {
					if dm, d := p.resolveDef(mm, first, depth+1, get); d != nil {
						return dm, d
					}
				}
			}
		}
		return nil, nil
	}
	if imp, ok := m.Imports[first]; ok {
		target := imp.Module
		if imp.Name != "" {
			target += "." + imp.Name
		}
		if mm := p.Module(target); mm != nil {
			return p.resolveDef(mm, rest, depth+1, get)
		}
	}
	return nil, nil
}
