package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// decoratedRoute adds the route one route decorator declares, its
// arguments evaluated under b (a call of the function it is declared in).
func (p *Project) decoratedRoute(m *Module, def, d *python.Node, i int, decs []*python.Node, o *Object, verb, rule string, b Binding) {
	args := d.ChildByField("arguments")
	name := def.ChildByField("name").Text()
	methods := []string{strings.ToUpper(verb)}
	if verb == "route" || isRouterVerb(verb) {
		methods = p.methodsArgIn(args, b)
	}
	endpoint := name
	if ep := p.EvalIn(keyword(args, "endpoint"), b); ep.Kind == Str {
		endpoint = ep.S
	}
	r := Route{Handler: name, File: m.File.Path, Line: def.Line, Def: def, Decl: d}
	for j, other := range decs {
		if ob, _ := p.routeDecorator(other); ob != nil {
			continue
		}
		if j > i {
			r.decorators = append(r.decorators, other)
		} else {
			r.LateDecorators = append(r.LateDecorators, other)
		}
	}
	p.addRoute(o, rule, methods, endpoint, r)
}

// pathBuilt reports whether a computed rule argument has a literal part
// holding a slash: an f-string (f"{PREFIX}/api/x") or a concatenation
// (PREFIX + "/x").
func pathBuilt(a *python.Node) bool {
	a = a.Unparen()
	if a == nil {
		return false
	}
	switch a.Kind {
	case "string":
		if s, ok := a.StringValue(); ok {
			return strings.Contains(s, "/")
		}
		for _, c := range a.Children() {
			if c.Kind == "string_content" && strings.Contains(c.Text(), "/") {
				return true
			}
		}
	case "binary_operator":
		return a.HasChildKind("+") && (pathBuilt(a.ChildByField("left")) || pathBuilt(a.ChildByField("right")))
	case "identifier":
		// @bp.get(prefix) with prefix = f"{PREFIX}/client" in the same scope.
		if fn := a.Ancestor("function_definition"); fn != nil {
			if rhs := LocalAssign(fn, a.Text(), a.Start); rhs != nil && rhs.Unparen() != nil && rhs.Unparen().Kind != "identifier" {
				if s, ok := rhs.StringValue(); ok {
					return strings.HasPrefix(s, "/")
				}
				return pathBuilt(rhs)
			}
		}
	}
	return false
}

// routeByCall adds the route of a route decorator applied by a call
// rather than with @: app.route("/", methods=["GET"])(version_list) is
// the decorator d applied to the view the call names (its own
// decorators are inside the route's, as with @).
func (p *Project) routeByCall(m *Module, call, d *python.Node) {
	p.declare(d)
	o, verb := p.routeDecorator(d)
	if o == nil {
		p.unresolved(p.receiverReason(d.ChildByField("function").ChildByField("object")))
		return
	}
	view := positional(call.ChildByField("arguments"), 0)
	if view == nil {
		p.unresolved("the route decorator is applied by a call that passes no view")
		return
	}
	vm, def := p.resolveCallable(m, view)
	if def == nil || def.Kind != "function_definition" {
		p.unresolved(p.viewReason(view))
		return
	}
	args := d.ChildByField("arguments")
	rule := p.evalRuleAssuming(func() Value {
		if v := p.evalRule(positional(args, 0)); v.Kind == Str {
			return v
		}
		return p.evalRule(keyword(args, "rule"))
	})
	if rule.Kind != Str {
		why := "the rule is not a constant"
		if a := positional(args, 0); a != nil {
			why = "the rule `" + short(a.Text()) + "` is not a constant"
		}
		p.unresolved(why)
		return
	}
	p.decoratedRoute(vm, def, d, -1, Decorators(def), o, verb, rule.S, Binding{})
}
