package rules

// JWT options written away from the decode they weaken: where they end
// up decides what evidence a finding on them carries (callerflow.go).

import (
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/python"
)

// optionsFlow is the evidence of an options dict written away from the
// decode: in a route's decorator, or given to a project helper with the
// request's token (validate_jwt(encoded_token=tok, options={...})),
// directly or through a name it is assigned to (options = {...} then
// decode_user_jwt(token, options=options)).
func (ps *Pass) optionsFlow(d *python.Node, note string) []finding.Step {
	if f := ps.routeDecoratorOption(d); f != nil {
		return f
	}
	par := d.Parent
	if par != nil && par.Kind == "keyword_argument" {
		par = par.Parent
	}
	if par != nil && par.Kind == "argument_list" && par.Parent != nil && par.Parent.Kind == "call" {
		call := par.Parent
		return ps.callerClaims(call, tokenArg(call), note)
	}
	if par == nil || par.Kind != "assignment" || d.Field() != "right" || par.ChildByField("left").Kind != "identifier" {
		return nil
	}
	name := par.ChildByField("left").Text()
	scope := par.Ancestor("function_definition")
	if scope == nil {
		scope = par.File.Root
	}
	var out []finding.Step
	scope.Walk(func(x *python.Node) bool {
		if out != nil {
			return false
		}
		if x.Kind != "call" || x.Start < par.End || !passes(Call{Args: x.ChildByField("arguments")}, name) {
			return true
		}
		out = ps.callerClaims(x, tokenArg(x), note)
		return true
	})
	return out
}

// tokenArg is the token a decode-like call reads: its first argument, or
// a keyword that names a token.
func tokenArg(c *python.Node) *python.Node {
	args := c.ChildByField("arguments")
	if args == nil {
		return nil
	}
	for _, a := range args.NamedChildren() {
		if a.Kind == "keyword_argument" {
			switch a.ChildByField("name").Text() {
			case "jwt", "token", "encoded_token", "encoded", "access_token", "id_token":
				return a.ChildByField("value")
			}
		}
	}
	return positional(c, 0)
}
