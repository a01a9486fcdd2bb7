package rules

import (
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/python"
)

// One path-follower for the rules that ask where a value goes: a secret
// to the place it signs or is sent, a credential read from the request to
// the check it meets, decoded claims to an identity decision. The core
// climbs from a use through the expressions that keep the value and
// follows it through locals, helper returns and loops; each rule's sink
// predicate says what a place means to it.

// flowRule is one rule's sink predicate and how far its values travel.
type flowRule struct {
	// through are the parent kinds a value passes through unchanged;
	// kept are the methods whose result is still the value (key.encode()).
	through, kept map[string]bool
	// levels bounds the parents climbed from one use, maxDepth the hops
	// (locals, returns, loops) followed.
	levels, maxDepth int
	// sink judges the value cur at its parent par: the steps from there
	// to a sink, or decided when the path ends there without one.
	sink func(ps *Pass, cur, par *python.Node, depth int) (steps []finding.Step, decided bool)
	// named records each local the value passes through ("as key").
	named bool
	// loops: a for loop over the value binds its targets to it.
	loops bool
	// returnStep, when set, follows a returned value to the function's
	// call sites and records this step; returned judges a returned value
	// that no call site takes to a sink (nil: none).
	returnStep func(ret, call *python.Node) finding.Step
	returned   func(ps *Pass, ret, fn *python.Node) []finding.Step
}

func kinds(ks ...string) map[string]bool {
	out := make(map[string]bool, len(ks))
	for _, k := range ks {
		out[k] = true
	}
	return out
}

// follow returns the steps from the value at n to one of f's sinks, or nil.
func (ps *Pass) follow(f *flowRule, n *python.Node, depth int) []finding.Step {
	if n == nil || depth > f.maxDepth {
		return nil
	}
	cur := n
	for i := 0; i < f.levels && cur.Parent != nil; i++ {
		par := cur.Parent
		if f.through[par.Kind] {
			cur = par
			continue
		}
		if par.Kind == "attribute" && cur.Field() == "object" && par.Parent != nil && par.Parent.Kind == "call" &&
			f.kept[par.ChildByField("attribute").Text()] {
			cur = par.Parent
			continue
		}
		if s, decided := f.sink(ps, cur, par, depth); s != nil || decided {
			return s
		}
		switch par.Kind {
		case "assignment":
			left := par.ChildByField("left")
			fn := par.Ancestor("function_definition")
			if cur.Field() != "right" || left.Kind != "identifier" || fn == nil {
				return nil
			}
			return ps.followName(f, fn.ChildByField("body"), left.Text(), par, depth)
		case "return_statement":
			fn := par.Ancestor("function_definition")
			if f.returnStep == nil || fn == nil {
				return nil
			}
			for _, cs := range ps.callSites(fn) {
				if s := ps.follow(f, cs.Call, depth+1); s != nil {
					return append([]finding.Step{f.returnStep(par, cs.Call)}, s...)
				}
			}
			if f.returned != nil {
				return f.returned(ps, par, fn)
			}
		case "for_statement":
			if !f.loops || cur.Field() != "right" {
				return nil
			}
			left := par.ChildByField("left")
			for _, t := range loopNames(left) {
				if s := ps.followName(f, par.ChildByField("body"), t, left, depth); s != nil {
					return s
				}
			}
		}
		return nil
	}
	return nil
}

// followName follows a name bound at after (an assignment, a loop target)
// to its reads after it in scope, and returns the first path to a sink.
func (ps *Pass) followName(f *flowRule, scope *python.Node, name string, after *python.Node, depth int) []finding.Step {
	var out []finding.Step
	scope.Walk(func(x *python.Node) bool {
		if out != nil {
			return false
		}
		if x.Kind == "identifier" && x.Text() == name && x.Start > after.End &&
			!(x.Parent.Kind == "attribute" && x.Field() == "attribute") && !(x.Parent.Kind == "assignment" && x.Field() == "left") {
			if s := ps.follow(f, x, depth+1); s != nil {
				if f.named {
					s = append([]finding.Step{step(x, "step", "as "+name)}, s...)
				}
				out = s
			}
		}
		return true
	})
	return out
}

// flows are the rules' sink predicates over the one follower, built once
// per pass (they refer back to it).
type flows struct {
	identity, auth, secret *flowRule
	// caller follows the claims of a token the request is about to
	// where they would become the caller's identity (callerflow.go).
	caller *flowRule
}

func newFlows() flows {
	return flows{
		identity: &flowRule{
			through: kinds("parenthesized_expression", "await", "conditional_expression", "boolean_operator"),
			levels:  6, maxDepth: 3, sink: identitySink,
			returnStep: func(ret, call *python.Node) finding.Step {
				return step(ret, "step", "returned to "+call.ChildByField("function").Text())
			},
			returned: returnedIdentity,
		},
		auth: &flowRule{
			through: kinds("parenthesized_expression", "boolean_operator", "conditional_expression", "binary_operator", "list", "tuple"),
			kept:    kinds("strip", "lower", "upper", "encode", "decode", "replace", "removeprefix", "split"),
			levels:  8, maxDepth: 4, sink: authSink,
			returnStep: func(_, call *python.Node) finding.Step {
				return step(call, "step", "returned to "+call.ChildByField("function").Text())
			},
		},
		caller: &flowRule{
			through: kinds("parenthesized_expression", "await", "conditional_expression", "boolean_operator"),
			levels:  6, maxDepth: 4, sink: callerSink,
			returnStep: func(ret, call *python.Node) finding.Step {
				return step(ret, "step", "returned to "+call.ChildByField("function").Text())
			},
			returned: returnedIdentity,
		},
		secret: &flowRule{
			through: kinds("parenthesized_expression", "binary_operator", "interpolation", "string", "concatenated_string",
				"conditional_expression", "boolean_operator", "list", "tuple", "set", "expression_list"),
			kept:   kinds("encode", "strip", "decode", "format", "items", "keys", "values"),
			levels: 6, maxDepth: 2, sink: secretSinkAt, named: true, loops: true,
		},
	}
}

// identityUse follows decoded claims (the value of n) to an identity or
// authorization decision.
func (ps *Pass) identityUse(n *python.Node, depth int) []finding.Step {
	return ps.follow(ps.flows.identity, n, depth)
}

// authUse follows a request value (a query parameter) to where it
// authenticates; nil when it is only data.
func (ps *Pass) authUse(n *python.Node, depth int) []finding.Step {
	return ps.follow(ps.flows.auth, n, depth)
}

// secretSink follows a constant's value from a use to a secret sink.
func (ps *Pass) secretSink(u *python.Node, depth int) []finding.Step {
	return ps.follow(ps.flows.secret, u, depth)
}
