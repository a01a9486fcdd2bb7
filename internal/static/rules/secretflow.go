package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// usesOf are the reads of a constant or config key NAME declared in
// module home: NAME there or where it is imported, x.NAME for a
// CONSTANT_CASE config attribute or in home, x["NAME"], x.get("NAME"),
// getattr(x, "NAME") anywhere.
func (ps *Pass) usesOf(name string, def *python.Node, home *flask.Module) []*python.Node {
	var out []*python.Node
	constant := isConstantName(name)
	for _, m := range ps.Project.Modules {
		if len(ps.idents[m][name]) == 0 && len(ps.strs[m][name]) == 0 {
			continue
		}
		local := m == home || importsName(m, name)
		for _, n := range ps.idents[m][name] {
			if def != nil && def.Contains(n) {
				continue
			}
			u := n
			if n.Parent != nil && n.Parent.Kind == "attribute" && n.Field() == "attribute" {
				if !constant && m != home {
					continue
				}
				u = n.Parent
			} else if !local {
				continue
			} else if n.Parent != nil && n.Parent.Kind == "attribute" {
				switch n.Parent.ChildByField("attribute").Text() {
				case "items", "keys", "values", "get", "encode", "strip":
				default:
					continue // NAME.attr: the object, not a read of the value
				}
			}
			if u.Parent != nil && (u.Parent.Kind == "assignment" && u.Field() == "left" || u.Parent.Kind == "keyword_argument" && u.Field() == "name") {
				continue
			}
			out = append(out, u)
		}
		for _, n := range ps.strs[m][name] {
			if n.Parent == nil {
				continue
			}
			switch n.Parent.Kind {
			case "subscript":
				if n.Parent.Parent != nil && !(n.Parent.Parent.Kind == "assignment" && n.Parent.Field() == "left") &&
					settingsRead(constant, n.Parent.ChildByField("value")) {
					out = append(out, n.Parent)
				}
			case "argument_list":
				if c := n.Parent.Parent; c != nil && c.Kind == "call" {
					fn := c.ChildByField("function")
					if fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "get" && settingsRead(constant, fn.ChildByField("object")) ||
						fn.Text() == "getattr" && settingsRead(constant, positional(c, 0)) {
						out = append(out, c)
					}
				}
			}
		}
	}
	return out
}

// settingsRead: x["NAME"] reads the setting NAME when NAME is a
// CONSTANT_CASE setting or x is a configuration object; data["revision"]
// reads a field of some dictionary, not the module's revision.
func settingsRead(constant bool, x *python.Node) bool {
	if constant {
		return true
	}
	if x == nil {
		return false
	}
	l := strings.ToLower(x.DottedName())
	return strings.Contains(l, "config") || strings.Contains(l, "settings") || strings.Contains(l, "conf")
}

// secretSinkAt: a constant's value reaches a secret sink — a JWT key, an
// HMAC key, a Flask secret config key, an outgoing credential (header,
// auth=, a header-named dict entry) or a comparison with request data.
func secretSinkAt(ps *Pass, cur, par *python.Node, depth int) ([]finding.Step, bool) {
	switch par.Kind {
	case "attribute":
		// KEY.startswith(x): the key is the receiver, not a sink.
		if cur.Field() == "object" && par.Parent != nil && par.Parent.Kind == "call" && par.ChildByField("attribute").Text() == "get" {
			if a := positional(par.Parent, 0); a != nil && ps.requestDerived(a, 0) {
				return []finding.Step{step(par.Parent, "sink", "looked up with request data")}, true
			}
		}
		return nil, true
	case "keyword_argument":
		c := par.Parent.Parent
		if c == nil || c.Kind != "call" {
			return nil, true
		}
		return ps.callSink(c, cur, par.ChildByField("name").Text(), -1), true
	case "argument_list":
		c := par.Parent
		if c == nil || c.Kind != "call" {
			return nil, true
		}
		pos := 0
		for _, a := range par.NamedChildren() {
			if a == cur {
				break
			}
			if a.Kind != "keyword_argument" {
				pos++
			}
		}
		return ps.callSink(c, cur, "", pos), true
	case "pair":
		if cur.Field() != "value" {
			return nil, true
		}
		if k, ok := par.ChildByField("key").StringValue(); ok && (outgoingCredentialName(k) || secretWord(k) && outgoingDict(par.Parent)) {
			return []finding.Step{step(par, "sink", "sent as the outgoing credential "+k)}, true
		}
		return nil, true
	case "comparison_operator":
		for _, o := range par.NamedChildren() {
			if o != cur && ps.requestDerived(o, 0) {
				return []finding.Step{step(par, "sink", "compared with request data")}, true
			}
		}
		return nil, true
	case "subscript":
		if cur.Field() == "value" && ps.requestDerived(par.ChildByField("subscript"), 0) {
			return []finding.Step{step(par, "sink", "looked up with request data")}, true
		}
		return nil, true
	case "assignment":
		if cur.Field() != "right" {
			return nil, true
		}
		left := par.ChildByField("left")
		if key := configKeyOf(left); key != "" {
			if secretConfigKey(key) {
				return []finding.Step{step(par, "sink", "Flask config "+key)}, true
			}
			return nil, true
		}
		switch left.Kind {
		case "subscript":
			// params["headers"]["secret-key"] = KEY
			if k, ok := left.ChildByField("subscript").StringValue(); ok && (outgoingCredentialName(k) || secretWord(k)) &&
				strings.Contains(strings.ToLower(left.ChildByField("value").Text()), "header") {
				return []finding.Step{step(par, "sink", "sent as the outgoing header "+k)}, true
			}
			return nil, true
		case "attribute":
			if left.ChildByField("attribute").Text() == "secret_key" {
				if o := ps.Project.ObjectAt(left.ChildByField("object")); o != nil && o.Kind == "app" {
					return []finding.Step{step(par, "sink", "the Flask app's secret_key")}, true
				}
			}
			return nil, true
		}
	}
	return nil, false
}

func loopNames(left *python.Node) []string {
	var out []string
	left.Walk(func(x *python.Node) bool {
		if x.Kind == "identifier" {
			out = append(out, x.Text())
		}
		return true
	})
	return out
}

// callSink judges a value passed to a call as argument pos (or keyword kw).
func (ps *Pass) callSink(c, arg *python.Node, kw string, pos int) []finding.Step {
	m := ps.Project.ModuleOf(c)
	if m == nil {
		return nil
	}
	fn := c.ChildByField("function")
	q := m.Qualify(fn.DottedName())
	last := q[strings.LastIndex(q, ".")+1:]
	if fn.Kind == "attribute" {
		// request.headers.get("Authorization", "").endswith(KEY): a method
		// of a call's result has no dotted name.
		last = fn.ChildByField("attribute").Text()
	}
	switch {
	case jwtLib(q, "encode") != "" || jwtLib(q, "decode") != "" || strings.HasSuffix(q, "jws.sign") || strings.HasSuffix(q, "jws.verify"):
		keyPos := 1
		if jwtLib(q, "encode") == "authlib" {
			keyPos = 2
		}
		if kw == "key" || kw == "secret" || kw == "" && pos == keyPos {
			return []finding.Step{step(c, "sink", "the key of "+fn.Text())}
		}
	case q == "hmac.new" || q == "hmac.HMAC" || q == "hmac.digest":
		if kw == "key" || kw == "" && pos == 0 {
			return []finding.Step{step(c, "sink", "the HMAC key of "+fn.Text())}
		}
	case last == "compare_digest":
		for _, a := range c.ChildByField("arguments").NamedChildren() {
			if a != arg && ps.requestDerived(a, 0) {
				return []finding.Step{step(c, "sink", "compared with request data")}
			}
		}
	case (last == "startswith" || last == "endswith") && fn.Kind == "attribute" && ps.requestDerived(fn.ChildByField("object"), 0):
		return []finding.Step{step(c, "sink", "request data matched against it with "+last)}
	case kw == "auth" || kw == "headers":
		return []finding.Step{step(c, "sink", "sent as the outgoing "+kw+" of "+fn.Text())}
	case last == "setdefault" || last == "update" && kw != "":
		if isConfigCall(fn) && secretConfigKey(kw) {
			return []finding.Step{step(c, "sink", "Flask config "+kw)}
		}
	}
	return nil
}

func isConfigCall(fn *python.Node) bool {
	return fn.Kind == "attribute" && strings.HasSuffix(fn.ChildByField("object").DottedName(), "config")
}

// configKeyOf returns KEY for app.config["KEY"] (or config["KEY"]).
func configKeyOf(n *python.Node) string {
	if n.Kind != "subscript" || !strings.HasSuffix(n.ChildByField("value").DottedName(), "config") {
		return ""
	}
	k, _ := n.ChildByField("subscript").StringValue()
	return k
}

// secretConfigKey: a config key whose value signs or verifies.
func secretConfigKey(k string) bool {
	u := strings.ToUpper(k)
	return u == "SECRET_KEY" || u == "JWT_SECRET_KEY" || strings.HasSuffix(u, "_SECRET") || strings.HasSuffix(u, "_SECRET_KEY") || strings.HasSuffix(u, "_SIGNING_KEY")
}

// outgoingCredentialName: a header or parameter name that carries a
// credential to another service.
func outgoingCredentialName(k string) bool {
	l := strings.ToLower(k)
	return l == "authorization" || l == "x-api-key" || l == "api_key" || l == "apikey" || l == "api-key" ||
		l == "x-auth-token" || l == "access_token" || l == "token" || l == "client_secret" || strings.HasPrefix(l, "x-") && (strings.HasSuffix(l, "-key") || strings.HasSuffix(l, "-token"))
}

// importsName: the module imports NAME by name (from x import NAME).
func importsName(m *flask.Module, name string) bool {
	for _, imp := range m.File.OfKind("import_from_statement") {
		for _, c := range imp.NamedChildren() {
			if c.Field() == "name" && (c.Text() == name || strings.HasPrefix(c.Text(), name+" ")) {
				return true
			}
		}
	}
	return false
}

// indexIdents records, per module, the identifier nodes named one of
// names, in one walk of the project (usesOf reads it).
func (ps *Pass) indexIdents(names map[string]bool) {
	ps.idents = map[*flask.Module]map[string][]*python.Node{}
	ps.strs = map[*flask.Module]map[string][]*python.Node{}
	for _, m := range ps.Project.Modules {
		strs := map[string][]*python.Node{}
		for _, n := range m.File.OfKind("string") {
			if n.End-n.Start < 80 {
				if v, ok := n.StringValue(); ok && names[v] {
					strs[v] = append(strs[v], n)
				}
			}
		}
		ps.strs[m] = strs
		idx := map[string][]*python.Node{}
		m.File.Root.Walk(func(n *python.Node) bool {
			if n.Kind == "identifier" {
				if t := n.Text(); names[t] {
					idx[t] = append(idx[t], n)
				}
			}
			return true
		})
		ps.idents[m] = idx
	}
}

// outgoingDict: a dict literal that becomes a request's headers or
// parameters (headers={...}, headers = {...}).
func outgoingDict(d *python.Node) bool {
	for cur := d; cur != nil && cur.Parent != nil; cur = cur.Parent {
		par := cur.Parent
		switch par.Kind {
		case "keyword_argument":
			switch par.ChildByField("name").Text() {
			case "headers", "params", "auth":
				return true
			}
			return false
		case "assignment":
			return strings.Contains(strings.ToLower(par.ChildByField("left").Text()), "header")
		case "parenthesized_expression", "dictionary", "pair":
			continue
		}
		return false
	}
	return false
}
