package rules

import (
	"math"
	"net"
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// placeholders are words that mark a value as a stand-in, not a secret.
var placeholders = []string{"xxx", "changeme", "change_me", "change-me", "changethis", "your", "example", "placeholder",
	"censored", "redacted", "dummy", "todo", "fixme", "****", "...", "replace", "insert", "fake", "sample"}

// redacted: a marker that stands where a secret was taken out
// (__CENSORED__, <your key>, ${SECRET}, ***, xxx): no value at all.
func redacted(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(l, "__") && strings.HasSuffix(l, "__") || strings.HasPrefix(l, "<") || strings.HasPrefix(l, "${") || strings.HasPrefix(l, "{{") {
		return true
	}
	if strings.Trim(l, "x*.") == "" {
		return true
	}
	return strings.Contains(l, "censored") || strings.Contains(l, "redacted")
}

func placeholder(s string) bool {
	l := strings.ToLower(s)
	if strings.HasPrefix(l, "__") && strings.HasSuffix(l, "__") || strings.HasPrefix(l, "<") || strings.HasPrefix(l, "${") || strings.HasPrefix(l, "{{") {
		return true
	}
	for _, w := range placeholders {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// entropy is the Shannon entropy of s in bits per character.
func entropy(s string) float64 {
	counts := map[rune]int{}
	n := 0
	for _, r := range s {
		counts[r]++
		n++
	}
	e := 0.0
	for _, c := range counts {
		p := float64(c) / float64(n)
		e -= p * math.Log2(p)
	}
	return e
}

// classChanges counts switches between lower case, upper case and digits:
// generated strings switch often, words and identifiers seldom.
func classChanges(s string) int {
	class := func(r rune) int {
		switch {
		case r >= 'a' && r <= 'z':
			return 1
		case r >= 'A' && r <= 'Z':
			return 2
		case r >= '0' && r <= '9':
			return 3
		}
		return 0
	}
	out, last := 0, -1
	for _, r := range s {
		c := class(r)
		if c == 0 {
			continue
		}
		if last != -1 && c != last {
			out++
		}
		last = c
	}
	return out
}

// secretShaped reports a literal that looks generated: long enough, high
// entropy, mixing character classes, no spaces or regular-expression
// syntax, not a placeholder and not equal to a name used in the project
// (a config key, a variable, an environment variable).
func (ps *Pass) secretShaped(s string) bool {
	if keyShaped.MatchString(s) && !strings.Contains(strings.ToUpper(s), "EXAMPLE") {
		return true
	}
	if len(s) < 12 || strings.ContainsAny(s, " \t\n[](){}\\|^$?*,;<>'\"") || placeholder(s) {
		return false
	}
	if identifierShaped(s) || uuidShaped.MatchString(s) || netAddress(s) || entropy(s) < 3.0 || classChanges(s) < 3 {
		return false
	}
	// Last, as it walks the whole project once: a name is not a value.
	return !ps.projectNames()[strings.ToLower(s)]
}

// identifierShaped: words joined by - _ . / : (Content-Type, X-Api-Key,
// legacy_api_key_v1, v1Compatibility, Qwen/Qwen3-Embedding-8B): a name,
// not a generated value.
func identifierShaped(s string) bool {
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("-_./:@+", r) }) {
		if !wordPart.MatchString(part) {
			return false
		}
	}
	return true
}

var (
	wordPart   = regexp.MustCompile(`^(?:[A-Za-z][a-z]*[A-Z]?[a-z]*)+[0-9]{0,3}[A-Za-z]{0,2}$|^[0-9]{1,4}[A-Za-z]{0,2}$|^[a-z]+[0-9][A-Za-z]+$`)
	uuidShaped = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// projectNames are the identifiers, config keys and environment variable
// names of the project, lower-cased: a literal equal to one is a name.
func (ps *Pass) projectNames() map[string]bool {
	if ps.names != nil {
		return ps.names
	}
	ps.names = map[string]bool{}
	for _, m := range ps.Project.Modules {
		m.File.Root.Walk(func(n *python.Node) bool {
			if n.Kind == "identifier" {
				ps.names[strings.ToLower(n.Text())] = true
			}
			return true
		})
	}
	for k := range ps.Project.Config {
		ps.names[strings.ToLower(k)] = true
	}
	for _, c := range ps.Calls {
		if strings.HasSuffix(c.Q, "environ.get") || strings.HasSuffix(c.Q, "getenv") {
			if s, ok := c.Arg(0, "key").StringValue(); ok {
				ps.names[strings.ToLower(s)] = true
			}
		}
	}
	return ps.names
}

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
			if n.Parent != nil && n.Parent.Kind == "attribute" && n.Field == "attribute" {
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
			if u.Parent != nil && (u.Parent.Kind == "assignment" && u.Field == "left" || u.Parent.Kind == "keyword_argument" && u.Field == "name") {
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
				if n.Parent.Parent != nil && !(n.Parent.Parent.Kind == "assignment" && n.Parent.Field == "left") {
					out = append(out, n.Parent)
				}
			case "argument_list":
				if c := n.Parent.Parent; c != nil && c.Kind == "call" {
					fn := c.ChildByField("function")
					if fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "get" || fn.Text() == "getattr" {
						out = append(out, c)
					}
				}
			}
		}
	}
	return out
}

// secretSink follows a value from a use up to a secret sink: a JWT key,
// an HMAC key, a Flask secret config key, an outgoing credential (header,
// auth=, a header-named dict entry) or a comparison with request data.
// It returns the steps from the use to the sink, or nil.
func (ps *Pass) secretSink(u *python.Node, depth int) []finding.Step {
	if u == nil || depth > 2 {
		return nil
	}
	cur := u
	for i := 0; i < 6 && cur.Parent != nil; i++ {
		par := cur.Parent
		switch par.Kind {
		case "parenthesized_expression", "binary_operator", "interpolation", "string", "concatenated_string", "conditional_expression",
			"boolean_operator", "list", "tuple", "set", "expression_list":
			cur = par
			continue
		case "attribute":
			// KEY.encode() and the like keep the value.
			if cur.Field == "object" && par.Parent != nil && par.Parent.Kind == "call" {
				switch par.ChildByField("attribute").Text() {
				case "encode", "strip", "decode", "format":
					cur = par.Parent
					continue
				case "startswith", "endswith":
					return nil // KEY.startswith(x): the key is the receiver

				case "items", "keys", "values":
					cur = par.Parent
					continue
				case "get":
					if a := positional(par.Parent, 0); a != nil && ps.requestDerived(a, 0) {
						return []finding.Step{step(par.Parent, "sink", "looked up with request data")}
					}
				}
			}
			return nil
		case "keyword_argument":
			name := par.ChildByField("name").Text()
			c := par.Parent.Parent
			if c == nil || c.Kind != "call" {
				return nil
			}
			return ps.callSink(c, cur, name, -1)
		case "argument_list":
			c := par.Parent
			if c == nil || c.Kind != "call" {
				return nil
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
			return ps.callSink(c, cur, "", pos)
		case "pair":
			if cur.Field != "value" {
				return nil
			}
			if k, ok := par.ChildByField("key").StringValue(); ok && (outgoingCredentialName(k) || secretWord(k) && outgoingDict(par.Parent)) {
				return []finding.Step{step(par, "sink", "sent as the outgoing credential "+k)}
			}
			return nil
		case "comparison_operator":
			for _, o := range par.NamedChildren() {
				if o != cur && ps.requestDerived(o, 0) {
					return []finding.Step{step(par, "sink", "compared with request data")}
				}
			}
			return nil
		case "subscript":
			if cur.Field == "value" && ps.requestDerived(par.ChildByField("subscript"), 0) {
				return []finding.Step{step(par, "sink", "looked up with request data")}
			}
			return nil
		case "assignment":
			if cur.Field != "right" {
				return nil
			}
			left := par.ChildByField("left")
			if key := configKeyOf(left); key != "" {
				if secretConfigKey(key) {
					return []finding.Step{step(par, "sink", "Flask config "+key)}
				}
				return nil
			}
			// params["headers"]["secret-key"] = KEY
			if left.Kind == "subscript" {
				if k, ok := left.ChildByField("subscript").StringValue(); ok && (outgoingCredentialName(k) || secretWord(k)) &&
					strings.Contains(strings.ToLower(left.ChildByField("value").Text()), "header") {
					return []finding.Step{step(par, "sink", "sent as the outgoing header "+k)}
				}
			}
			if left.Kind == "attribute" && left.ChildByField("attribute").Text() == "secret_key" {
				if o := ps.Project.ObjectAt(left.ChildByField("object")); o != nil && o.Kind == "app" {
					return []finding.Step{step(par, "sink", "the Flask app's secret_key")}
				}
				return nil
			}
			if left.Kind == "identifier" {
				if fn := par.Ancestor("function_definition"); fn != nil {
					return ps.followLocal(fn, left.Text(), par, depth)
				}
			}
			return nil
		case "for_statement":
			if cur.Field != "right" {
				return nil
			}
			body := par.ChildByField("body")
			for _, t := range loopNames(par.ChildByField("left")) {
				if s := ps.followIn(body, t, par.ChildByField("left"), depth); s != nil {
					return s
				}
			}
			return nil
		}
		return nil
	}
	return nil
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

// followLocal follows a local variable assigned at stmt to a sink.
func (ps *Pass) followLocal(fn *python.Node, name string, stmt *python.Node, depth int) []finding.Step {
	return ps.followIn(fn.ChildByField("body"), name, stmt, depth)
}

func (ps *Pass) followIn(scope *python.Node, name string, after *python.Node, depth int) []finding.Step {
	var out []finding.Step
	scope.Walk(func(x *python.Node) bool {
		if out != nil {
			return false
		}
		if x.Kind == "identifier" && x.Text() == name && x.Start > after.End && !(x.Parent.Kind == "attribute" && x.Field == "attribute") {
			if s := ps.secretSink(x, depth+1); s != nil {
				out = append([]finding.Step{step(x, "step", "as "+name)}, s...)
			}
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

// requestDerived reports an expression computed from the request: a read
// of request data, a local assigned from one, a Flask-HTTPAuth verifier's
// parameter, or a parameter every caller passes request data to.
func (ps *Pass) requestDerived(n *python.Node, depth int) bool {
	n = n.Unparen()
	if n == nil || depth > 4 {
		return false
	}
	if v, ok := ps.derived[n]; ok {
		return v
	}
	ps.derived[n] = false // cycles: not derived while being decided
	v := ps.requestDerivedUncached(n, depth)
	ps.derived[n] = v
	return v
}

// callSites memoizes Project.CallSites.
func (ps *Pass) callSites(fn *python.Node) []flask.CallSite {
	if cs, ok := ps.sites[fn]; ok {
		return cs
	}
	cs := ps.Project.CallSites(fn)
	if cls := fn.Ancestor("class_definition"); cls != nil && len(cs) == 0 {
		cs = ps.methodCallSites(fn, cls)
	}
	ps.sites[fn] = cs
	return cs
}

// methodCallSites are the calls of a method: Class.method(...) where
// Class resolves to its class, and self.method(...) / cls.method(...)
// inside it. A static or class method is bound without self.
func (ps *Pass) methodCallSites(fn, cls *python.Node) []flask.CallSite {
	name := fn.ChildByField("name").Text()
	var out []flask.CallSite
	for _, c := range ps.callsByAttr(name) {
		f := c.Node.ChildByField("function")
		if f.Kind != "attribute" || f.ChildByField("attribute").Text() != name {
			continue
		}
		obj := f.ChildByField("object")
		switch {
		case (obj.Text() == "self" || obj.Text() == "cls") && cls.Contains(c.Node):
			out = append(out, flask.CallSite{Call: c.Node})
		case obj.Kind == "identifier" || obj.Kind == "attribute":
			if _, def := ps.Project.ResolveClass(c.Module, obj.DottedName()); def == cls {
				out = append(out, flask.CallSite{Call: c.Node})
			}
		}
	}
	return out
}

func (ps *Pass) requestDerivedUncached(n *python.Node, depth int) bool {
	if _, ok := credentialRead(ps.Project, n, 0); ok {
		return true
	}
	switch n.Kind {
	case "attribute":
		d := strings.TrimPrefix(n.DottedName(), "flask.")
		if d == "request" || strings.HasPrefix(d, "request.") {
			switch d {
			case "request.endpoint", "request.path", "request.method", "request.url", "request.blueprint", "request.url_rule",
				"request.full_path", "request.base_url", "request.host", "request.remote_addr", "request.scheme":
				return false // routing, not data the client authenticates with
			}
			return true
		}
		// auth.password with auth = request.authorization; user.pin with
		// user looked up in the database is server data.
		return ps.requestDerived(n.ChildByField("object"), depth+1)
	case "subscript":
		return ps.requestDerived(n.ChildByField("value"), depth+1)
	case "call":
		fn := n.ChildByField("function")
		if outgoingHTTP(ps, n) {
			return false // another service's answer
		}
		if fn.Kind == "attribute" {
			switch fn.ChildByField("attribute").Text() {
			case "get", "getlist", "get_json", "json", "strip", "lstrip", "rstrip", "lower", "upper", "casefold", "encode", "decode",
				"split", "rsplit", "replace", "removeprefix", "removesuffix", "format", "pop", "partition", "rpartition", "get_data", "to_dict":
				// A read or a transform of request data stays request data;
				// USERS.get(name) is a lookup: server data.
				return ps.requestDerived(fn.ChildByField("object"), depth+1)
			}
		}
		switch fn.Text() {
		case "str", "bytes", "int", "base64.b64decode", "base64.urlsafe_b64decode", "json.loads", "unquote", "urllib.parse.unquote":
			for _, a := range n.ChildByField("arguments").NamedChildren() {
				if ps.requestDerived(a, depth+1) {
					return true
				}
			}
			return false
		}
		// A project function that returns request data (bearer()).
		if def := calleeDef(ps.Project, ps.Project.ModuleOf(n), n); def != nil && n.Ancestor("function_definition") != def && depth < 3 {
			found := false
			def.ChildByField("body").Walk(func(r *python.Node) bool {
				if r.Kind == "function_definition" || found {
					return false
				}
				if r.Kind == "return_statement" {
					if v := r.NamedChildren(); len(v) > 0 && ps.requestDerived(v[0], depth+1) {
						found = true
					}
				}
				return true
			})
			return found
		}
		return false
	case "identifier":
		if n.Text() == "request" {
			if m := ps.Project.ModuleOf(n); m != nil && m.Qualify("request") == "flask.request" {
				return true
			}
		}
		fn := n.Ancestor("function_definition")
		// sxng_request = typing.cast(SXNG_Request, flask.request) at module
		// level, read in a function that does not assign the name.
		if fn == nil || len(allAssigns(fn, n.Text())) == 0 && flask.ParamOf(n) == nil {
			if m := ps.Project.ModuleOf(n); m != nil {
				name := n.Text()
				// from searx.extended_types import sxng_request
				if imp, ok := m.Imports[name]; ok && imp.Name != "" {
					if im := ps.Project.Module(imp.Module); im != nil {
						m, name = im, imp.Name
					}
				}
				for _, rhs := range m.Assigns[name] {
					if !rhs.Contains(n) && mentionsFlaskRequest(m, rhs) {
						return true
					}
				}
			}
			if fn == nil {
				return false
			}
		}
		// Any assignment of the name in the function may reach the use
		// (password = ""; password = password.encode()).
		for _, rhs := range allAssigns(fn, n.Text()) {
			if rhs != nil && !rhs.Contains(n) && rhs.Start < n.Start && ps.requestDerived(rhs, depth+1) {
				return true
			}
		}
		if fn == flask.ParamOf(n) {
			// A route handler's parameters are the URL's variables or the
			// body a decorator parsed for it (webargs, APIFairy).
			if isVerifyCallback(fn) || ps.reachSet().handlers[fn] && n.Text() != "self" && n.Text() != "cls" {
				return true
			}
			for _, cs := range ps.callSites(fn) {
				if a := cs.Arg(fn, n.Text()); a != nil && ps.requestDerived(a, depth+1) {
					return true
				}
			}
		}
		return false
	case "binary_operator", "boolean_operator", "conditional_expression", "parenthesized_expression", "string", "interpolation",
		"concatenated_string", "not_operator", "unary_operator", "await":
		for _, c := range n.NamedChildren() {
			if ps.requestDerived(c, depth+1) {
				return true
			}
		}
	}
	return false
}

// netAddress: an IP address or network (2a01:4f8::/64, 10.0.0.0/8).
func netAddress(s string) bool {
	if net.ParseIP(s) != nil {
		return true
	}
	_, _, err := net.ParseCIDR(s)
	return err == nil
}

// outgoingHTTP: a call to another service (requests, httpx, urllib, a
// session's get/post): its answer is not the client's request.
func outgoingHTTP(ps *Pass, call *python.Node) bool {
	m := ps.Project.ModuleOf(call)
	fn := call.ChildByField("function")
	q := fn.DottedName()
	if m != nil {
		q = m.Qualify(q)
	}
	for _, p := range []string{"requests.", "httpx.", "urllib.", "urllib3.", "aiohttp.", "http.client."} {
		if strings.HasPrefix(q, p) {
			return true
		}
	}
	if fn.Kind == "attribute" && !strings.HasPrefix(fn.ChildByField("object").DottedName(), "request") {
		switch fn.ChildByField("attribute").Text() {
		case "post", "put", "patch", "urlopen", "fetch", "request":
			return true
		}
	}
	return false
}

// importsName: the module imports NAME by name (from x import NAME).
func importsName(m *flask.Module, name string) bool {
	for _, imp := range m.File.OfKind("import_from_statement") {
		for _, c := range imp.NamedChildren() {
			if c.Field == "name" && (c.Text() == name || strings.HasPrefix(c.Text(), name+" ")) {
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

// mentionsFlaskRequest: the expression reads flask's request object.
func mentionsFlaskRequest(m *flask.Module, n *python.Node) bool {
	found := false
	n.Walk(func(x *python.Node) bool {
		if x.Kind == "identifier" || x.Kind == "attribute" {
			if q := m.Qualify(x.DottedName()); q == "flask.request" {
				found = true
			}
		}
		return !found
	})
	return found
}
