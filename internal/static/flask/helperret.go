package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// Helpers that compute a rule: a project function called where a rule
// (or another value the model needs) is written, returning a string it
// builds from its arguments:
//
//	def format_url(endpoint):
//	    parts = endpoint.strip("/")
//	    return "/api/{}/{}/".format(EnvironmentConfig.API_VERSION, parts)
//
//	api.add_resource(ProjectsAllAPI, format_url("projects/"))
//
// While the model is built, such a call is run by the interpreter with the
// call's arguments bound, and its value is what the function returns.
// Only short, plain functions are run (no methods: their receiver is a
// run-time object), with a small step budget, one at a time.

// maxHelperStmts bounds the size of a function run for its return value.
const maxHelperStmts = 12

// helperSteps is the step budget of one helper run.
const helperSteps = 400

// helperReturn returns what the project function call names returns when
// run with the call's arguments, ok when the run ends on a return of a
// known value.
func (p *Project) helperReturn(call *python.Node, depth int) (Value, bool) {
	if !p.modelling || p.inHelper || depth > maxEvalDepth-3 {
		return Value{}, false
	}
	f := call.ChildByField("function")
	if f == nil || f.Kind != "identifier" && f.Kind != "attribute" {
		return Value{}, false
	}
	key := helperKey{call, p.rulePrefix != nil}
	if v, ok := p.helperMemo[key]; ok {
		return v, v.Known()
	}
	_, def := p.ResolveFunc(p.ModuleOf(call), f.DottedName())
	if def == nil || def.Kind != "function_definition" || !plainHelper(def) {
		return Value{}, false
	}
	notes := 0
	if p.rulePrefix != nil {
		notes = len(p.rulePrefix.notes)
	}
	p.inHelper = true
	defer func() { p.inHelper = false }()
	in := &interp{p: p, steps: maxSteps - helperSteps}
	v := Value{}
	if body, nb, ok := in.callee(call, Binding{}); ok {
		env := map[string]Value{}
		in.block(body.ChildByField("body"), body, nb, env, 1)
		if r, ok := env["\x00return"]; ok && in.failed == "" && r.Known() {
			v = r
			v.Node = call
		}
	}
	if p.rulePrefix != nil && len(p.rulePrefix.notes) > notes {
		return v, v.Known() // assumptions are noted once per evaluation: not memoized
	}
	if p.helperMemo == nil {
		p.helperMemo = map[helperKey]Value{}
	}
	p.helperMemo[key] = v
	return v, v.Known()
}

// helperKey memoizes a helper call apart while a rule is evaluated: only
// then may a run-time setting be taken at its default.
type helperKey struct {
	call *python.Node
	rule bool
}

// plainHelper: a module-level function (not a method, not a generator) of
// a few statements that returns something.
func plainHelper(def *python.Node) bool {
	if def.Ancestor("class_definition") != nil || def.Ancestor("function_definition") != nil {
		return false
	}
	if prm := Params(def); len(prm) > 0 && (prm[0] == "self" || prm[0] == "cls") {
		return false
	}
	body := def.ChildByField("body")
	if body == nil || len(body.NamedChildren()) > maxHelperStmts || !returnsIn(body) {
		return false
	}
	yields := false
	body.Walk(func(c *python.Node) bool {
		switch c.Kind {
		case "function_definition", "class_definition", "lambda":
			return false
		case "yield":
			yields = true
		}
		return !yields
	})
	return !yields
}
