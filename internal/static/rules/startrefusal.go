package rules

// A start-up refusal is a counter fact for a weak environment fallback.
// Projects often keep a development default (SECRET_KEY = getenv(...,
// "dev")) and refuse to start when the variable is weak or unset outside
// debug or testing: a function the app calls reads the same variable,
// tests it, and raises or exits (batch 5, held-out-informed:
// flask-expenses-manager's validate_security_configuration; batch 6's
// televip config has the same shape). When such a function is called
// somewhere, the shipped app does not serve with the fallback; the
// finding is a review item naming the refusal.

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// refuteStartupRefusal records, on the finding just reported (the
// fallback of the environment variable name), the function that refuses
// to start when the variable is weak.
func (ps *Pass) refuteStartupRefusal(before int, name string) {
	if len(ps.Findings) == before || name == "" {
		return
	}
	if at := ps.startupRefusal(name); at != nil {
		ps.refute(before, step(at, "", "the app refuses to start when "+name+" is weak or unset ("+
			at.ChildByField("name").Text()+" at "+at.File.Path+":"+itoa(at.Line)+" tests it and raises), outside its debug or test runs"))
	}
}

// startupRefusal is a function that reads the environment variable name
// into a local, branches on a test of that local, raises or exits after
// the read, and runs at start-up; nil when none.
func (ps *Pass) startupRefusal(name string) *python.Node {
	for _, c := range ps.Calls {
		if c.Q != "os.getenv" && c.Q != "os.environ.get" {
			continue
		}
		if v := ps.Project.Eval(c.Arg(0, "key")); v.Kind != flask.Str || v.S != name {
			continue
		}
		fn := c.Node.Ancestor("function_definition")
		if fn == nil || !ps.calledAtStartup(fn, 0) {
			continue
		}
		as := c.Node.Parent
		for as != nil && as.Kind != "assignment" && as.Kind != "expression_statement" && as.Kind != "block" {
			as = as.Parent
		}
		if as == nil || as.Kind != "assignment" || as.ChildByField("left").Kind != "identifier" {
			continue
		}
		local := as.ChildByField("left").Text()
		if testedThenRaises(fn, local, c.Node) {
			return fn
		}
	}
	return nil
}

// testedThenRaises: after the read at, an if condition in fn tests local
// (compares it or hands it to a call), and fn raises or exits after at.
func testedThenRaises(fn *python.Node, local string, at *python.Node) bool {
	tested, raises := false, false
	fn.ChildByField("body").Walk(func(x *python.Node) bool {
		if x.Kind == "function_definition" || x.Kind == "lambda" {
			return false
		}
		if x.Start < at.End {
			return true
		}
		switch x.Kind {
		case "if_statement", "elif_clause":
			if c := x.ChildByField("condition"); c != nil && mentions(c, local) {
				tested = true
			}
		case "raise_statement":
			raises = true
		case "call":
			if d := x.ChildByField("function").Text(); d == "sys.exit" || d == "exit" || strings.HasSuffix(d, "SystemExit") {
				raises = true
			}
		}
		return true
	})
	return tested && raises
}

// calledAtStartup: fn is called at a module's top level, or by a function
// that builds the Flask app (an app factory), directly or through one
// more function: not per request, where a refusal only fails that request.
func (ps *Pass) calledAtStartup(fn *python.Node, depth int) bool {
	if depth > 2 {
		return false
	}
	for _, cs := range ps.callSites(fn) {
		caller := cs.Call.Ancestor("function_definition")
		if caller == nil || ps.buildsApp(caller) || ps.calledAtStartup(caller, depth+1) {
			return true
		}
	}
	return false
}

// buildsApp: fn constructs a Flask application.
func (ps *Pass) buildsApp(fn *python.Node) bool {
	for _, c := range ps.Calls {
		if (c.Q == "flask.Flask" || c.Q == "apiflask.APIFlask") && fn.Contains(c.Node) {
			return true
		}
	}
	return false
}
