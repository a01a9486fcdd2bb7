package rules

// A token without expiry that the app can revoke: the token's jti is
// stored when it is made, and flask-jwt-extended's
// token_in_blocklist_loader accepts only tokens whose jti it finds
// (return record is None: an allow-list). Deleting the record ends the
// token: a long-lived device or API token by design, a review item.

import (
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// allowListLoader is the token_in_blocklist_loader that refuses a token
// whose jti is not found (it returns `X is None`), or nil.
func (ps *Pass) allowListLoader() *python.Node {
	for _, m := range ps.Project.Modules {
		for _, def := range m.File.OfKind("function_definition") {
			if !decoratedWith(def, "token_in_blocklist_loader") {
				continue
			}
			found := false
			def.ChildByField("body").Walk(func(x *python.Node) bool {
				if x.Kind == "return_statement" {
					if v := x.NamedChildren(); len(v) == 1 && v[0].Kind == "comparison_operator" && v[0].HasChildKind("is") {
						ops := v[0].NamedChildren()
						found = found || len(ops) == 2 && ops[1].Kind == "none"
					}
				}
				return !found
			})
			if found {
				return def
			}
		}
	}
	return nil
}

// decoratedWith: a decorator of def is @x.name or @x.name(...).
func decoratedWith(def *python.Node, name string) bool {
	for _, d := range flask.Decorators(def) {
		if d.Kind == "call" {
			d = d.ChildByField("function")
		}
		if d.Kind == "attribute" && d.ChildByField("attribute").Text() == name {
			return true
		}
	}
	return false
}

// jtiStored: the function making the token reads its jti (get_jti,
// decode_token(...)["jti"]) to keep it.
func jtiStored(call *python.Node) bool {
	fn := call.Ancestor("function_definition")
	if fn == nil {
		return false
	}
	found := false
	fn.Walk(func(x *python.Node) bool {
		if x.Kind == "call" {
			d := x.ChildByField("function").DottedName()
			found = found || d == "get_jti" || d == "flask_jwt_extended.get_jti"
		}
		return !found
	})
	return found
}
