package rules

// Lookup-then-verify: an unverified decode that only finds whom or what to
// verify with. The claims of a token decoded without its signature pick
// the user (or tenant, or issuer), and the same token is then verified
// with that user's own secret: decoded again with its signature checked,
// in the same function or in a project function it is handed to (its
// parameter followed, to a bounded depth). The unverified read decides
// nothing the signature does not confirm, which is a counter fact for the
// gate. Verification is observed, not named: a decode with a key and the
// signature check on, or an itsdangerous serializer's loads.

import (
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// laterVerification returns the call after the unverified decode c that
// verifies the same token, and the verifying decode, or nils.
func (ps *Pass) laterVerification(c Call) (at, verify *python.Node) {
	tok := c.Arg(0, "jwt")
	if tok == nil {
		tok = c.Arg(0, "token")
	}
	fn := c.Node.Ancestor("function_definition")
	if tok == nil || fn == nil || tok.Kind != "identifier" && tok.Kind != "attribute" {
		return nil, nil
	}
	return ps.verifiesLater(fn, tok.Text(), c.Node.End, 0)
}

// verifiesLater: a call of fn after offset verifies the value named name, or
// hands it to a project function whose parameter it binds and which
// verifies that parameter.
func (ps *Pass) verifiesLater(fn *python.Node, name string, after, depth int) (at, verify *python.Node) {
	p := ps.Project
	m := p.ModuleOf(fn)
	if m == nil || depth > 3 {
		return nil, nil
	}
	fn.ChildByField("body").Walk(func(x *python.Node) bool {
		if at != nil {
			return false
		}
		if x.Kind != "call" || x.Start <= after {
			return true
		}
		f := x.ChildByField("function")
		if f == nil {
			return true
		}
		o := Call{Node: x, Module: m, Q: m.Qualify(f.DottedName()), Args: x.ChildByField("arguments")}
		if o.Args == nil || !passes(o, name) {
			return true
		}
		if signatureChecked(ps, o, name) {
			at, verify = x, x
			return false
		}
		def := calleeDef(p, m, x)
		if def == nil {
			def = instanceMethod(p, m, x)
		}
		if def == nil || def == fn {
			return true
		}
		cs := flask.CallSite{Call: x}
		for _, prm := range flask.Params(def) {
			if a := cs.Arg(def, prm); prm != "" && a != nil && a.Text() == name {
				if _, v := ps.verifiesLater(def, prm, def.Start, depth+1); v != nil {
					at, verify = x, v
					return false
				}
			}
		}
		return true
	})
	return at, verify
}

// signatureChecked: the call verifies the value named name: a JWT decode
// of it with a key and the signature check on, or a serializer's loads
// (itsdangerous raises on a bad signature).
func signatureChecked(ps *Pass, o Call, name string) bool {
	if jwtLib(o.Q, "decode") != "" {
		t := o.Arg(0, "jwt")
		if t == nil {
			t = o.Arg(0, "token")
		}
		if t == nil || t.Text() != name || !verifiedDecode(ps, o) {
			return false
		}
		v, known := ps.Project.Eval(o.Arg(-1, "verify")).Truthy()
		return !known || v
	}
	f := o.Node.ChildByField("function")
	if f.Kind == "attribute" && f.ChildByField("attribute").Text() == "loads" {
		if a := positional(o.Node, 0); a != nil && a.Text() == name {
			q := o.Q
			return !hasPrefixAny(q, "json.", "pickle.", "marshal.", "yaml.", "simplejson.", "orjson.", "ujson.")
		}
	}
	return false
}

func hasPrefixAny(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if len(s) >= len(p) && s[:len(p)] == p {
			return true
		}
	}
	return false
}

// refuteVerifiedLater records, on the unverified-decode finding just
// reported, that the same token is verified later.
func (ps *Pass) refuteVerifiedLater(before int, c Call) {
	at, verify := ps.laterVerification(c)
	if at == nil {
		if !verifiedAfter(ps, c) {
			return
		}
		at, verify = c.Node, c.Node // a peek (iss, kid) before a verified decode in the same code
	}
	note := "the same token is then verified (" + oneLineText(verify.Text()) + " at " + verify.File.Path + ":" + itoa(verify.Line) +
		"): the unverified claims only find whom to verify with"
	ps.refute(before, step(at, "", note))
}

// instanceMethod resolves obj.name(...) where obj is a module-level
// instance of a project class (links = Links()) to the method.
func instanceMethod(p *flask.Project, m *flask.Module, call *python.Node) *python.Node {
	f := call.ChildByField("function")
	if f.Kind != "attribute" || f.ChildByField("object").Kind != "identifier" {
		return nil
	}
	for _, rhs := range m.Assigns[f.ChildByField("object").Text()] {
		if rhs.Kind != "call" {
			continue
		}
		_, cls := p.ResolveClass(m, rhs.ChildByField("function").DottedName())
		if cls == nil {
			continue
		}
		name := f.ChildByField("attribute").Text()
		for _, def := range cls.File.OfKind("function_definition") {
			if cls.Contains(def) && def.Ancestor("class_definition") == cls && def.ChildByField("name").Text() == name {
				return def
			}
		}
	}
	return nil
}
