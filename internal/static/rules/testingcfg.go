package rules

// Settings applied only under test. Flask's TESTING flag is off unless a
// test (or a test harness) turns it on; a setting written in a branch
// taken only when app.config["TESTING"] (or app.testing) is true, or in a
// function every call of which is in such a branch, is the test suite's
// configuration, not what the deployed app runs with: a counter fact for
// the gate. The condition is observed (a read of the flag, directly or
// through a project function that returns it), never guessed from a
// function's name.

import (
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// testingOnly returns the condition that confines stmt to test runs, or
// nil.
func (ps *Pass) testingOnly(stmt *python.Node) *python.Node {
	if c := ps.underTesting(stmt); c != nil {
		return c
	}
	fn := stmt.Ancestor("function_definition")
	if fn == nil {
		return nil
	}
	sites := ps.callSites(fn)
	var cond *python.Node
	for _, cs := range sites {
		c := ps.underTesting(cs.Call)
		if c == nil {
			return nil
		}
		cond = c
	}
	return cond
}

// underTesting: n is in the body of an if whose condition is the TESTING
// flag (not its negation), in the same function.
func (ps *Pass) underTesting(n *python.Node) *python.Node {
	fn := n.Ancestor("function_definition")
	for a := n.Parent; a != nil && a != fn; a = a.Parent {
		if a.Kind != "if_statement" {
			continue
		}
		body := a.ChildByField("consequence")
		if body == nil || !body.Contains(n) {
			continue
		}
		if c := a.ChildByField("condition"); c != nil && ps.testingFlag(c.Unparen(), 0) {
			return c
		}
	}
	return nil
}

// testingFlag: the expression is Flask's TESTING flag: config["TESTING"],
// config.get("TESTING"), app.testing, a local assigned one, or a call of a
// project function that returns one.
func (ps *Pass) testingFlag(e *python.Node, depth int) bool {
	if e == nil || depth > 3 {
		return false
	}
	switch e.Kind {
	case "subscript":
		s, ok := e.ChildByField("subscript").StringValue()
		return ok && s == "TESTING" && configish(e.ChildByField("value"))
	case "attribute":
		return e.ChildByField("attribute").Text() == "testing"
	case "identifier":
		if fn := e.Ancestor("function_definition"); fn != nil {
			if rhs := flask.LocalAssign(fn, e.Text(), e.Start); rhs != nil && !rhs.Contains(e) {
				return ps.testingFlag(rhs.Unparen(), depth+1)
			}
		}
	case "call":
		f := e.ChildByField("function")
		if f.Kind == "attribute" && f.ChildByField("attribute").Text() == "get" {
			s, ok := positional(e, 0).StringValue()
			return ok && s == "TESTING" && configish(f.ChildByField("object"))
		}
		m := ps.Project.ModuleOf(e)
		def := calleeDef(ps.Project, m, e)
		if def == nil {
			return false
		}
		rets := 0
		ok := true
		def.ChildByField("body").Walk(func(x *python.Node) bool {
			if x.Kind == "function_definition" {
				return false
			}
			if x.Kind == "return_statement" {
				rets++
				v := x.NamedChildren()
				ok = ok && len(v) == 1 && ps.testingFlag(v[0].Unparen(), depth+1)
			}
			return true
		})
		return ok && rets > 0
	}
	return false
}

// configish: the value is an app's config (app.config, current_app.config,
// self.app.config, config).
func configish(v *python.Node) bool {
	d := v.DottedName()
	return d == "config" || len(d) > 7 && d[len(d)-7:] == ".config"
}
