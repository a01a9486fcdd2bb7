package rules

// Auth decorators made by a factory: process_auth =
// _auth_decorator(handlers=[validate_bearer]) builds the check and calls
// the handlers it is given with the request's credential (reachSet).

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// factoryCall is the call a module-level name is bound to (X = f(...)),
// followed through from-imports; nil when it is not one.
func factoryCall(p *flask.Project, m *flask.Module, name string, depth int) (*flask.Module, *python.Node) {
	if m == nil || depth > 4 || name == "" || strings.Contains(name, ".") {
		return nil, nil
	}
	if rhs := m.Assigns[name]; len(rhs) > 0 {
		if last := rhs[len(rhs)-1]; last.Kind == "call" {
			return m, last
		}
		return nil, nil
	}
	if imp, ok := m.Imports[name]; ok && imp.Name != "" {
		if mm := p.Module(imp.Module); mm != nil && mm != m {
			return factoryCall(p, mm, imp.Name, depth+1)
		}
	}
	return nil, nil
}

// callbackArgs are the project functions named among a call's arguments
// (also inside lists and tuples): callbacks the callee will call.
func callbackArgs(p *flask.Project, m *flask.Module, call *python.Node) []*python.Node {
	var out []*python.Node
	call.ChildByField("arguments").Walk(func(x *python.Node) bool {
		switch x.Kind {
		case "identifier", "attribute":
			if x.Parent.Kind == "keyword_argument" && x.Field() == "name" {
				return false
			}
			if _, def := p.ResolveFunc(m, x.DottedName()); def != nil {
				out = append(out, def)
			}
			return false
		case "call", "lambda":
			return false
		}
		return true
	})
	return out
}
