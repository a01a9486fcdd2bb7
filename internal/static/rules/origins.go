package rules

import (
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// Origins: a stored field judged by the values the project writes to it,
// a parameter by what its callers pass (see secretDerived).

// fieldOrigin judges a stored field by the values the project writes to
// it (obj.NAME = value anywhere, or Model(NAME=value)): held when every write is a server secret
// (a generated token, a hash); not held, and known, when none is and some
// write stores request data (the field keeps what clients send); unknown
// otherwise, and the field's name is the hint.
func (ps *Pass) fieldOrigin(name string, depth int) (held, known bool) {
	if ps.fieldWrites == nil {
		ps.collectFieldWrites()
	}
	writes := ps.fieldWrites[name]
	if len(writes) == 0 || depth > 2 {
		return false, false
	}
	// The name is shared by every class that has the field (ApiToken.id
	// is a generated token, Package.id a uuid): only writes that agree
	// decide; None (unset) is neither.
	client, secret, other := 0, 0, 0
	for _, w := range writes {
		switch {
		case w.Kind == "none":
		case ps.requestDerived(w, 0):
			client++
		case ps.serverGenerated(w, depth+1):
			secret++
		default:
			other++
		}
	}
	switch {
	case secret > 0 && client == 0 && other == 0:
		return true, true
	case client > 0 && secret == 0:
		return false, true
	}
	return false, false
}

// paramOrigin judges a parameter by the arguments its call sites pass:
// held when one passes a server secret; known and not held when the
// function has call sites and none passes one (a name is then no hint);
// unknown without call sites (a callback, an entry point).
func (ps *Pass) paramOrigin(n *python.Node, depth int) (held, known bool) {
	fn := flask.ParamOf(n)
	if fn == nil || depth > 2 {
		return false, false
	}
	sites := ps.callSites(fn)
	if len(sites) == 0 {
		return false, false
	}
	for _, cs := range sites {
		a := cs.Arg(fn, n.Text())
		if a == nil {
			return false, false // a default or *args: not followed
		}
		if ps.secretDerived(a, depth+1) {
			return true, true
		}
	}
	return false, true
}

// collectFieldWrites gathers, by field name, every value the project
// stores in a field: obj.NAME = value, and a project class made with
// arguments (an ORM model's ApiKey(key=secrets.token_hex()), or a class
// whose __init__ stores its parameters: self.NAME = param). A constructor
// that forwards a parameter is judged at its call sites, not by the
// parameter.
func (ps *Pass) collectFieldWrites() {
	ps.fieldWrites = map[string][]*python.Node{}
	for _, m := range ps.Project.Modules {
		for _, a := range m.File.OfKind("assignment") {
			l, r := a.ChildByField("left"), a.ChildByField("right")
			if l.Kind != "attribute" || r == nil {
				continue
			}
			if fn := flask.ParamOf(r); fn != nil && fn.ChildByField("name").Text() == "__init__" {
				continue
			}
			k := l.ChildByField("attribute").Text()
			ps.fieldWrites[k] = append(ps.fieldWrites[k], r)
		}
	}
	for _, c := range ps.Calls {
		if c.Module == nil {
			continue
		}
		_, cls := ps.Project.ResolveClass(c.Module, c.Node.ChildByField("function").DottedName())
		if cls == nil {
			continue
		}
		init := classMethod(cls, "__init__")
		var params []string
		if init != nil {
			params = flask.Params(init)
		} else {
			params = append([]string{"self"}, annotatedFields(cls)...)
		}
		pos := 1 // after self
		for _, a := range c.Node.ChildByField("arguments").NamedChildren() {
			param := ""
			switch {
			case a.Kind == "keyword_argument":
				param = a.ChildByField("name").Text()
				a = a.ChildByField("value")
			case a.Kind == "list_splat" || a.Kind == "dictionary_splat":
				continue
			default:
				if pos < len(params) {
					param = params[pos]
				}
				pos++
			}
			if param == "" || a == nil {
				continue
			}
			fields := []string{param}
			if init != nil {
				fields = storedAs(init, param)
			}
			for _, f := range fields {
				ps.fieldWrites[f] = append(ps.fieldWrites[f], a)
			}
		}
	}
}

// classMethod is the method name defined in class cls, or nil.
func classMethod(cls *python.Node, name string) *python.Node {
	for _, def := range cls.File.OfKind("function_definition") {
		if cls.Contains(def) && def.Ancestor("class_definition") == cls && def.ChildByField("name").Text() == name {
			return def
		}
	}
	return nil
}

// storedAs are the fields __init__ stores parameter param in
// (self.NAME = param).
func storedAs(init *python.Node, param string) []string {
	var out []string
	for _, a := range init.File.OfKind("assignment") {
		if !init.Contains(a) {
			continue
		}
		l, r := a.ChildByField("left"), a.ChildByField("right")
		if l.Kind == "attribute" && l.ChildByField("object").Text() == "self" && r != nil && r.Kind == "identifier" && r.Text() == param {
			out = append(out, l.ChildByField("attribute").Text())
		}
	}
	return out
}
