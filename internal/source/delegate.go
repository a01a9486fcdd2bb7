package source

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// delegatedBody is the body read by the project functions a route's
// handler hands the request to when the handler reads none itself
// (return TaskController.addtask(), return services.create_note()): the
// first of them, in call order, that reads the request's JSON, else its
// form. Only the functions the handler calls directly are read.
func delegatedBody(proj *flask.Project, def *python.Node, cols columns) (map[string]any, bool) {
	for _, d := range delegates(proj, def) {
		if v := readBody(d, jsonRoot); len(v) > 0 {
			cols.retype(v)
			return v, false
		}
		if v := readBody(d, formRoot); len(v) > 0 {
			return v, true
		}
	}
	return nil, false
}

// delegates are the project functions def calls, in call order: module
// functions and the methods of project classes called on the class
// (TaskController.addtask()).
func delegates(proj *flask.Project, def *python.Node) []*python.Node {
	m := proj.ModuleOf(def)
	if m == nil {
		return nil
	}
	var out []*python.Node
	seen := map[*python.Node]bool{def: true}
	def.Walk(func(n *python.Node) bool {
		if n.Kind != "call" {
			return true
		}
		fn := n.ChildByField("function")
		if fn == nil || (fn.Kind != "identifier" && fn.Kind != "attribute") {
			return true
		}
		if d := callee(proj, m, fn.Text()); d != nil && !seen[d] && !proj.RefusalBuilder(d) {
			seen[d] = true
			out = append(out, d)
		}
		return true
	})
	return out
}

// callee resolves a called name to its definition in the project: a
// function, or Class.method on a project class.
func callee(proj *flask.Project, m *flask.Module, dotted string) *python.Node {
	if _, d := proj.ResolveFunc(m, dotted); d != nil {
		return d
	}
	cls, meth, ok := cutLast(dotted)
	if !ok {
		return nil
	}
	_, c := proj.ResolveClass(m, cls)
	if c == nil || c.ChildByField("body") == nil {
		return nil
	}
	for _, st := range c.ChildByField("body").NamedChildren() {
		if st.Kind == "decorated_definition" {
			st = st.ChildByField("definition")
		}
		if st != nil && st.Kind == "function_definition" && st.ChildByField("name").Text() == meth {
			return st
		}
	}
	return nil
}

func cutLast(dotted string) (string, string, bool) {
	i := strings.LastIndex(dotted, ".")
	if i <= 0 || i == len(dotted)-1 {
		return "", "", false
	}
	return dotted[:i], dotted[i+1:], true
}
