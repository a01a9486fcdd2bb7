package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// metadataClaims say how to verify a token, not who sends it: reading
// only these from an unverified token decides nothing about identity.
var metadataClaims = map[string]bool{"iss": true, "exp": true, "kid": true, "alg": true, "typ": true, "nbf": true,
	"iat": true, "aud": true, "jti": true, "cty": true, "jku": true, "x5u": true}

// unverifiedFlow is the evidence of an unverified decode: the request
// value that becomes the token (source), the decode, and the identity or
// authorization decision its claims reach (sink), in code a route, hook
// or auth decorator reaches. nil when any part is missing.
func (ps *Pass) unverifiedFlow(call, tok *python.Node) []finding.Step {
	entry := ps.requestHandling(call)
	if entry == nil || tok == nil || !ps.requestDerived(tok, 0) || failurePath(call) {
		return nil
	}
	sink := ps.identityUse(call, 0)
	if sink == nil {
		return nil
	}
	flow := append(entry, step(tok, "source", "the token comes from the request"))
	flow = append(flow, step(call, "step", "decoded without verifying the signature"))
	return append(flow, sink...)
}

// identitySink: decoded claims reach an identity or authorization
// decision — a claim other than metadata read, the claims stored on g /
// session / current_user, compared, or handed to a function.
func identitySink(ps *Pass, cur, par *python.Node, depth int) ([]finding.Step, bool) {
	switch par.Kind {
	case "subscript":
		if cur.Field() != "value" {
			return nil, true
		}
		if k, ok := par.ChildByField("subscript").StringValue(); ok && metadataClaims[k] {
			return nil, true
		}
		return []finding.Step{step(par, "sink", "claim "+par.ChildByField("subscript").Text()+" is used as identity")}, true
	case "attribute":
		if cur.Field() == "object" && par.ChildByField("attribute").Text() == "get" && par.Parent != nil && par.Parent.Kind == "call" {
			if k, ok := positional(par.Parent, 0).StringValue(); ok && metadataClaims[k] {
				return nil, true
			}
			return []finding.Step{step(par.Parent, "sink", "claim "+positional(par.Parent, 0).Text()+" is used as identity")}, true
		}
		return nil, true
	case "assignment":
		if cur.Field() != "right" {
			return nil, true
		}
		left := par.ChildByField("left")
		if d := left.DottedName(); strings.HasPrefix(d, "g.") || strings.HasPrefix(d, "flask.g.") || strings.HasPrefix(d, "session") ||
			strings.Contains(d, "current_user") || strings.HasPrefix(d, "request.") || configKeyOf(left) == "" && left.Kind == "subscript" && strings.HasPrefix(left.Text(), "session") {
			if d == "" {
				d = left.Text() // session["uid"]
			}
			return []finding.Step{step(par, "sink", "stored as the request's identity ("+d+")")}, true
		}
	case "argument_list", "keyword_argument":
		c := par.Ancestor("call")
		if c == nil {
			return nil, true
		}
		return []finding.Step{step(c, "sink", "the claims are handed to "+c.ChildByField("function").Text())}, true
	case "comparison_operator":
		return []finding.Step{step(par, "sink", "the claims decide a comparison")}, true
	}
	return nil, false
}

// returnedIdentity: claims a request handler or an auth callback returns
// are the request's identity.
func returnedIdentity(ps *Pass, ret, fn *python.Node) []finding.Step {
	if ps.reachSet().entry[fn].File != "" || isAuthCallback(fn) {
		return []finding.Step{step(ret, "sink", "returned as the identity by a request handler or auth callback")}
	}
	return nil
}

// isAuthCallback: a function the framework calls to authenticate.
func isAuthCallback(fn *python.Node) bool {
	for _, d := range flask.Decorators(fn) {
		if d.Kind == "call" {
			d = d.ChildByField("function")
		}
		if d.Kind == "attribute" && callbackDecorators[d.ChildByField("attribute").Text()] {
			return true
		}
	}
	return false
}

// secretDerived reports a comparison side that holds a server secret: a
// configured value (environment, config, a long literal, a list of keys),
// a stored credential (a model's token, key or hash field), or a value the
// server computes (an HMAC or a hash). Request data is never one.
func (ps *Pass) secretDerived(n *python.Node, depth int) bool {
	n = n.Unparen()
	if n == nil || depth > 3 || ps.requestDerived(n, 0) {
		return false
	}
	switch v := ps.Project.Eval(n); v.Kind {
	case flask.Str:
		// A literal is a secret when it looks generated, not when it is
		// an endpoint, a path or a word.
		return ps.secretShaped(v.S)
	case flask.Env:
		// An environment variable holds a secret when its name says so
		// (TEI_MODEL is a model name).
		return secretWord(v.EnvName)
	}
	if secretSide(ps.Project, n) {
		return true
	}
	switch n.Kind {
	case "binary_operator", "boolean_operator", "conditional_expression":
		for _, c := range n.NamedChildren() {
			if ps.secretDerived(c, depth+1) {
				return true
			}
		}
		return false
	case "identifier":
		if fn := n.Ancestor("function_definition"); fn != nil {
			if rhs := flask.LocalAssign(fn, n.Text(), n.Start); rhs != nil && !rhs.Contains(n) {
				if ps.secretDerived(rhs, depth+1) {
					return true
				}
			}
		}
		// for known in API_KEYS: the loop variable holds a key.
		for loop := n.Ancestor("for_statement"); loop != nil; loop = loop.Ancestor("for_statement") {
			for _, t := range loopNames(loop.ChildByField("left")) {
				if t == n.Text() && ps.secretDerived(loop.ChildByField("right"), depth+1) {
					return true
				}
			}
			// for key, value in pairs: the first of a pair is a mapping's
			// key (a lookup), whatever it is called.
			if left := loop.ChildByField("left"); left.Kind == "pattern_list" || left.Kind == "tuple_pattern" {
				if ts := left.NamedChildren(); len(ts) == 2 && ts[0].Text() == n.Text() {
					return false
				}
			}
		}
		// A parameter holds what its callers pass: a secret when one of
		// them passes one, not when every caller is known and none does.
		if held, known := ps.paramOrigin(n, depth); known {
			return held
		}
		return secretWord(n.Text())
	case "attribute":
		// What the project stores in the field decides, before its name:
		// user.last_otp = mfa_token keeps the client's last code.
		if held, known := ps.fieldOrigin(n.ChildByField("attribute").Text(), depth); known {
			return held
		}
		return secretWord(n.ChildByField("attribute").Text())
	case "subscript":
		if k, ok := n.ChildByField("subscript").StringValue(); ok {
			return secretWord(k)
		}
	case "call":
		fn := n.ChildByField("function")
		d := fn.DottedName()
		if strings.HasPrefix(d, "hmac.") || strings.HasPrefix(d, "hashlib.") {
			return true
		}
		// A project function is judged by what it returns, not by its
		// name (Item.all_keys() returns column names).
		if def := calleeDef(ps.Project, ps.Project.ModuleOf(n), n); def != nil && !def.Contains(n) {
			if secret, known := ps.returnsSecret(def, depth); known {
				return secret
			}
		}
		if fn.Kind == "attribute" {
			switch fn.ChildByField("attribute").Text() {
			case "hexdigest", "digest":
				return true
			case "items", "keys", "values":
				return ps.secretDerived(fn.ChildByField("object"), depth+1)
			}
			// store.get_str("secret_0"), cfg.get("token_value")
			if k, ok := positional(n, 0).StringValue(); ok && secretWord(k) {
				return true
			}
			return secretWord(fn.ChildByField("attribute").Text())
		}
		return secretWord(d)
	}
	return false
}

// serverGenerated: a value the server makes as a secret, judged by where
// it comes from, never by its name: a generated-looking literal or a
// secret setting, a random or hashing call, a project function returning
// one, a local assigned one.
func (ps *Pass) serverGenerated(n *python.Node, depth int) bool {
	n = n.Unparen()
	if n == nil || depth > 4 {
		return false
	}
	switch v := ps.Project.Eval(n); v.Kind {
	case flask.Str:
		return ps.secretShaped(v.S)
	case flask.Env:
		return secretWord(v.EnvName)
	}
	switch n.Kind {
	case "call":
		m := ps.Project.ModuleOf(n)
		fn := n.ChildByField("function")
		q := fn.DottedName()
		if m != nil {
			q = m.Qualify(q)
		}
		// Not uuid4: a random identifier names a record, it guards nothing.
		for _, p := range []string{"secrets.", "os.urandom", "hashlib.", "hmac.", "bcrypt.", "pyotp.random",
			"werkzeug.security.generate_password_hash", "passlib."} {
			if strings.HasPrefix(q, p) {
				return true
			}
		}
		if fn.Kind == "attribute" {
			switch fn.ChildByField("attribute").Text() {
			case "hexdigest", "digest", "hash":
				return true
			}
		}
		if def := calleeDef(ps.Project, m, n); def != nil && !def.Contains(n) {
			found := false
			def.ChildByField("body").Walk(func(r *python.Node) bool {
				if found || r.Kind == "function_definition" || r.Kind == "lambda" {
					return false
				}
				if r.Kind == "return_statement" {
					if v := r.NamedChildren(); len(v) > 0 && ps.serverGenerated(v[0], depth+1) {
						found = true
					}
				}
				return true
			})
			return found
		}
	case "identifier":
		if fn := n.Ancestor("function_definition"); fn != nil {
			if rhs := flask.LocalAssign(fn, n.Text(), n.Start); rhs != nil && !rhs.Contains(n) {
				return ps.serverGenerated(rhs, depth+1)
			}
		}
	}
	return false
}

// returnsSecret judges a function by what it returns: secret when a
// return value is secret-derived; not, and known, when every return is a
// constant the evaluator knows (Item.all_keys() returns column names);
// unknown otherwise, and the function's name is the hint.
func (ps *Pass) returnsSecret(def *python.Node, depth int) (secret, known bool) {
	known = true
	def.ChildByField("body").Walk(func(r *python.Node) bool {
		if secret || r.Kind == "function_definition" || r.Kind == "lambda" {
			return false
		}
		if r.Kind == "return_statement" {
			v := r.NamedChildren()
			switch {
			case len(v) > 0 && ps.secretDerived(v[0], depth+1):
				secret = true
			case len(v) > 0 && !ps.Project.Eval(v[0]).Known():
				known = false
			}
		}
		return true
	})
	return secret, known || secret
}

// secretWord: a name that says it holds a secret (a hint, weighed with the
// other side being request data).
func secretWord(name string) bool {
	words := nameWords(name)
	if len(words) > 1 && aboutWords[words[len(words)-1]] {
		return false // KEY_ID, TOKEN_TYPES, API_KEY_HEADER: about a credential, not one
	}
	for _, w := range words {
		switch w {
		case "key", "apikey", "token", "secret", "secrets", "signature", "sig", "hmac",
			"pin", "password", "passwd", "pwd", "otp", "passcode", "credential", "credentials":
			return true
		}
	}
	return false
}

// aboutWords end a name that is about a credential rather than one: its
// identifier, kind, name, location or size (the id half of a key pair is
// public; a list of allowed token types names kinds).
var aboutWords = map[string]bool{"id": true, "ids": true, "type": true, "types": true, "name": true, "names": true,
	"kind": true, "kinds": true, "header": true, "param": true, "field": true, "url": true, "uri": true, "path": true,
	"prefix": true, "length": true, "len": true, "count": true, "label": true}

// nameWords splits snake_case, kebab-case and camelCase into lower-case
// words.
func nameWords(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, strings.ToLower(b.String()))
			b.Reset()
		}
	}
	prevLower := false
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			if prevLower {
				flush()
			}
			b.WriteRune(r)
			prevLower = false
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			prevLower = true
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	return out
}

// authSink: a request value (a query parameter) authenticates — compared
// with a secret, decoded as a JWT, looked up as a stored credential, or
// handed to a verifier.
func authSink(ps *Pass, cur, par *python.Node, depth int) ([]finding.Step, bool) {
	switch par.Kind {
	case "attribute":
		if cur.Field() == "object" && par.Parent != nil && par.Parent.Kind == "call" {
			switch par.ChildByField("attribute").Text() {
			case "startswith", "endswith":
				if a := positional(par.Parent, 0); a != nil && ps.secretDerived(a, 0) {
					return []finding.Step{step(par.Parent, "sink", "matched against a secret")}, true
				}
			}
		}
		return nil, true
	case "comparison_operator":
		for _, o := range par.NamedChildren() {
			if o != cur && ps.secretDerived(o, 0) {
				return []finding.Step{step(par, "sink", "compared with "+ps.safeText(o))}, true
			}
		}
		return nil, true
	case "subscript":
		if cur.Field() == "subscript" && ps.secretDerived(par.ChildByField("value"), 0) {
			return []finding.Step{step(par, "sink", "looked up in "+par.ChildByField("value").Text())}, true
		}
		return nil, true
	case "keyword_argument", "argument_list":
		c := par.Ancestor("call")
		if c == nil {
			return nil, true
		}
		return ps.credentialCall(c, cur, par, depth), true
	}
	return nil, false
}

// credentialCall judges a request value handed to a call: a JWT decode,
// compare_digest, a database lookup by a credential column, or a project
// function that uses its parameter as a credential.
func (ps *Pass) credentialCall(c, arg, par *python.Node, depth int) []finding.Step {
	m := ps.Project.ModuleOf(c)
	if m == nil {
		return nil
	}
	fn := c.ChildByField("function")
	q := m.Qualify(fn.DottedName())
	last := q[strings.LastIndex(q, ".")+1:]
	switch {
	case flask.IsJWTDecode(q) || jwtLib(q, "decode") != "" || strings.HasSuffix(q, ".get_unverified_claims"):
		return []finding.Step{step(c, "sink", "decoded as a JWT by "+fn.Text())}
	case last == "compare_digest" || last == "check_password_hash" || last == "verify":
		return []finding.Step{step(c, "sink", "checked as a credential by "+fn.Text())}
	case last == "render_template" || last == "jsonify" || last == "redirect" || last == "url_for" || last == "make_response" || last == "print":
		return nil // shown or sent back, not checked
	case par.Kind == "keyword_argument" && secretWord(headWord(par.ChildByField("name").Text())):
		// find_user(apikey=...), filter_by(token=...): a lookup by credential,
		// unless the value is a cursor the response hands back.
		kw := par.ChildByField("name").Text()
		if at := cursorRoundTrip(c, kw); at != nil {
			return []finding.Step{step(at, Counter, "the value is a pagination cursor, not a credential: "+fn.Text()+"'s "+kw+
				" is answered with "+at.Text()+", which the client sends back")}
		}
		if calleeDef(ps.Project, m, c) == nil {
			return []finding.Step{step(c, "sink", "looked up as the credential "+kw+" by "+fn.Text())}
		}
		// a project function: judged by what it does with its parameter
	case verifierName(fn.Text()):
		return []finding.Step{step(c, "sink", "checked as a credential by "+fn.Text())}
	}
	def := calleeDef(ps.Project, m, c)
	if def == nil {
		return nil
	}
	// The callee's parameter bound to the value.
	name := ""
	if par.Kind == "keyword_argument" {
		name = par.ChildByField("name").Text()
	} else {
		pos := 0
		for _, a := range par.NamedChildren() {
			if a == arg {
				break
			}
			if a.Kind != "keyword_argument" {
				pos++
			}
		}
		params := flask.Params(def)
		if len(params) > 0 && (params[0] == "self" || params[0] == "cls") {
			params = params[1:]
		}
		if pos < len(params) {
			name = params[pos]
		}
	}
	if name == "" {
		return nil
	}
	var out []finding.Step
	def.ChildByField("body").Walk(func(x *python.Node) bool {
		if out != nil {
			return false
		}
		if x.Kind == "identifier" && x.Text() == name && !(x.Parent.Kind == "attribute" && x.Field() == "attribute") {
			if s := ps.authUse(x, depth+1); s != nil {
				out = append([]finding.Step{step(c, "step", "passed to "+fn.Text())}, s...)
			}
		}
		return true
	})
	return out
}

// verifierName: a callee whose name says it checks or looks up a
// credential (ApiKey.verify_key, api_keys_db.lookup, find_by_token).
func verifierName(dotted string) bool {
	words := nameWords(dotted)
	verb, cred := false, false
	for _, w := range words {
		switch w {
		case "verify", "check", "validate", "authenticate", "auth", "authz", "lookup", "find", "by", "load", "decode":
			verb = true
		}
		if secretWord(w) || w == "keys" || w == "tokens" {
			cred = true // api_keys_db.lookup: a store of keys
		}
	}
	return verb && cred
}
