package rules

// A value already authenticated is no secret to time: when the request
// value was handed, earlier in the same function, to a signature check
// that raises on a forged value (an itsdangerous serializer's loads, a
// JWT decode with a key, or a project function that makes one), the
// compare that follows only ever sees values the server signed itself:
// guessing it byte by byte needs a valid signature for every guess.

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// signedBefore reports a signature check of req before cmp in its
// function.
func (ps *Pass) signedBefore(cmp, req *python.Node) bool {
	fn := cmp.Ancestor("function_definition")
	req = req.Unparen()
	if fn == nil || req == nil || req.Kind != "identifier" {
		return false
	}
	m := ps.Project.ModuleOf(cmp)
	found := false
	fn.Walk(func(x *python.Node) bool {
		if found || x.Start >= cmp.Start {
			return false
		}
		if x.Kind == "call" && passes(Call{Args: x.ChildByField("arguments")}, req.Text()) && ps.signatureCheck(m, x, 0) {
			found = true
		}
		return !found
	})
	return found
}

// signatureCheck: the call verifies a signature and raises on a forged
// value, itself or in the project function it calls.
func (ps *Pass) signatureCheck(m *flask.Module, call *python.Node, depth int) bool {
	if m == nil || depth > 2 {
		return false
	}
	fn := call.ChildByField("function")
	q := m.Qualify(fn.DottedName())
	if jwtLib(q, "decode") != "" {
		return verifiedDecode(ps, Call{Node: call, Module: m, Q: q, Args: call.ChildByField("arguments")})
	}
	if fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "loads" && signer(m, fn.ChildByField("object")) {
		return true
	}
	def := calleeDef(ps.Project, m, call)
	if def == nil || call.Ancestor("function_definition") == def {
		return false
	}
	dm := ps.Project.ModuleOf(def)
	found := false
	def.ChildByField("body").Walk(func(x *python.Node) bool {
		if found || x.Kind == "function_definition" {
			return false
		}
		if x.Kind == "call" && ps.signatureCheck(dm, x, depth+1) {
			found = true
		}
		return !found
	})
	return found
}

// signer: an itsdangerous serializer or signer (made in place, held in a
// local, or a module-level one).
func signer(m *flask.Module, obj *python.Node) bool {
	obj = obj.Unparen()
	if obj.Kind == "identifier" {
		if fn := obj.Ancestor("function_definition"); fn != nil {
			if rhs := flask.LocalAssign(fn, obj.Text(), obj.Start); rhs != nil {
				obj = rhs
			}
		} else if rhs := m.Assigns[obj.Text()]; len(rhs) > 0 {
			obj = rhs[len(rhs)-1]
		}
	}
	if obj.Kind != "call" {
		return false
	}
	q := m.Qualify(obj.ChildByField("function").DottedName())
	return strings.HasPrefix(q, "itsdangerous.")
}
