package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// A credential name on a non-credential. A comparison of a request value
// with a server value is a credential check when one side is shown to be
// a credential: the request side read from a credential field (a header
// or query parameter named like a key), or the server side a configured
// value, a literal, a generated field or a digest. When the only hint is
// the server side's name (plugin.key, provider.key: the identifier of a
// plugin, looked up in a registry) it is a review item.

// nameOnlySecret: the server side of a comparison is a secret by its name
// alone: no configured value, literal or known origin stands behind it.
func (ps *Pass) nameOnlySecret(sec *python.Node) bool {
	p := ps.Project
	sec = sec.Unparen()
	switch v := p.Eval(sec); v.Kind {
	case flask.Str, flask.Env, flask.Split, flask.List:
		return false
	}
	if secretSide(p, sec) {
		return false
	}
	switch sec.Kind {
	case "attribute":
		_, known := ps.fieldOrigin(sec.ChildByField("attribute").Text(), 0)
		return !known
	case "identifier":
		if fn := sec.Ancestor("function_definition"); fn != nil {
			if rhs := flask.LocalAssign(fn, sec.Text(), sec.Start); rhs != nil && !rhs.Contains(sec) {
				return false
			}
		}
		if sec.Ancestor("for_statement") != nil {
			return false // a loop over a store of keys is judged by the store
		}
		_, known := ps.paramOrigin(sec, 0)
		return !known
	}
	return false
}

// weakCredentialCompare: the comparison rests on the server side's name
// only; the request side is not read from a credential field.
func (ps *Pass) weakCredentialCompare(req, sec *python.Node) bool {
	if s := sec.Unparen(); s.Kind == "attribute" && ps.composedField(s.ChildByField("attribute").Text(), 0) {
		return true
	}
	if _, cred := credentialRead(ps.Project, req, 0); cred {
		return false
	}
	if name, known := ps.requestField(req, 0); !known || credentialName(name) {
		return false
	}
	return ps.nameOnlySecret(sec)
}

// requestField is the name of the request field (a header, a query or
// form parameter, a JSON member: data["pin"], body.get("token")) the value
// is read from, through local variables and the callers of a helper;
// known is false when the value's way in is not seen.
func (ps *Pass) requestField(n *python.Node, depth int) (name string, known bool) {
	n = n.Unparen()
	if n == nil || depth > 4 {
		return "", false
	}
	switch n.Kind {
	case "subscript":
		if s, ok := n.ChildByField("subscript").StringValue(); ok {
			return s, true
		}
	case "call":
		fn := n.ChildByField("function")
		if fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "get" {
			if s, ok := positional(n, 0).StringValue(); ok {
				return s, true
			}
		}
	case "identifier":
		fn := n.Ancestor("function_definition")
		if fn == nil {
			return "", false
		}
		if rhs := flask.LocalAssign(fn, n.Text(), n.Start); rhs != nil && !rhs.Contains(n) {
			return ps.requestField(rhs, depth+1)
		}
		if fn != flask.ParamOf(n) {
			return "", false
		}
		sites := ps.callSites(fn)
		for _, cs := range sites {
			name, known := ps.requestField(cs.Arg(fn, n.Text()), depth+1)
			if !known || credentialName(name) {
				return name, known
			}
		}
		return n.Text(), len(sites) > 0
	}
	return "", false
}

// composedField: every definition of the field is a property that builds
// it from other values (f"{self.type}/{self.id}", str(self.plugin.key)),
// or every write of it copies such a field (Provider(plugin, entry.key)):
// a name made of names, not a secret.
func (ps *Pass) composedField(name string, depth int) bool {
	return ps.composed(name, depth, map[string]bool{})
}

// composed is composedField; a field met again on the way (a key built
// from its host's key) is judged by its other parts.
func (ps *Pass) composed(name string, depth int, seen map[string]bool) bool {
	if seen[name] {
		return true
	}
	if depth > 3 {
		return false
	}
	seen[name] = true
	props := 0
	for _, m := range ps.Project.Modules {
		for _, def := range m.File.OfKind("function_definition") {
			if def.ChildByField("name").Text() != name || def.Ancestor("class_definition") == nil || !isProperty(def) {
				continue
			}
			props++
			ok := true
			def.ChildByField("body").Walk(func(x *python.Node) bool {
				if x.Kind == "return_statement" {
					v := x.NamedChildren()
					ok = ok && len(v) == 1 && ps.composedValue(v[0], depth, seen)
				}
				return ok && x.Kind != "function_definition" || x == def.ChildByField("body")
			})
			if !ok {
				return false
			}
		}
	}
	if props > 0 {
		return true
	}
	if ps.fieldWrites == nil {
		ps.collectFieldWrites()
	}
	writes := ps.fieldWrites[name]
	for _, w := range writes {
		if w.Kind != "attribute" || !ps.composed(w.ChildByField("attribute").Text(), depth+1, seen) {
			return false
		}
	}
	return len(writes) > 0
}

// composedValue: an f-string with interpolations, str() of an attribute,
// or a copy of a composed field.
func (ps *Pass) composedValue(v *python.Node, depth int, seen map[string]bool) bool {
	v = v.Unparen()
	switch v.Kind {
	case "string":
		return v.HasChildKind("interpolation")
	case "call":
		if v.ChildByField("function").Text() == "str" {
			if a := positional(v, 0); a != nil {
				return ps.composedValue(a, depth, seen)
			}
		}
	case "attribute":
		return ps.composed(v.ChildByField("attribute").Text(), depth+1, seen)
	}
	return false
}

// isProperty: the method is decorated with @property.
func isProperty(def *python.Node) bool {
	for _, d := range flask.Decorators(def) {
		if strings.TrimPrefix(d.Text(), "@") == "property" {
			return true
		}
	}
	return false
}

// annotatedFields are the annotated names of a class body in order
// (a NamedTuple's or a dataclass's fields, its constructor's parameters).
func annotatedFields(cls *python.Node) []string {
	var out []string
	body := cls.ChildByField("body")
	if body == nil {
		return nil
	}
	for _, st := range body.NamedChildren() {
		if st.Kind != "expression_statement" || len(st.NamedChildren()) != 1 {
			continue
		}
		a := st.NamedChildren()[0]
		if a.Kind == "assignment" && a.ChildByField("type") != nil && a.ChildByField("left").Kind == "identifier" {
			out = append(out, a.ChildByField("left").Text())
		}
	}
	return out
}
