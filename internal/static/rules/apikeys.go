package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// credentialRead returns the header/query name when n reads a credential
// from the request (directly or through a local variable).
func credentialRead(p *flask.Project, n *python.Node, depth int) (string, bool) {
	n = n.Unparen()
	if n == nil || depth > 6 {
		return "", false
	}
	switch n.Kind {
	case "call":
		fn := n.ChildByField("function")
		d := fn.DottedName()
		if dottedEnds(d, "headers.get") || dottedEnds(d, "args.get") || dottedEnds(d, "values.get") || dottedEnds(d, "cookies.get") ||
			dottedEnds(d, "request.form.get") || dottedEnds(d, "request.json.get") {
			if v := p.Eval(positional(n, 0)); v.Kind == flask.Str && credentialName(v.S) {
				return v.S, true
			}
			return "", false
		}
		if fn.Kind == "attribute" {
			switch fn.ChildByField("attribute").Text() {
			case "strip", "lower", "encode", "decode", "removeprefix", "replace":
				return credentialRead(p, fn.ChildByField("object"), depth+1)
			}
		}
	case "subscript":
		d := n.ChildByField("value").DottedName()
		if dottedEnds(d, "headers") || dottedEnds(d, "args") || d == "request.form" || d == "request.json" ||
			strings.HasPrefix(n.ChildByField("value").Text(), "request.get_json(") {
			if s, ok := n.ChildByField("subscript").StringValue(); ok && credentialName(s) {
				return s, true
			}
		}
	case "identifier":
		if fn := n.Ancestor("function_definition"); fn != nil {
			if rhs := flask.LocalAssign(fn, n.Text(), n.Start); rhs != nil && !rhs.Contains(n) {
				return credentialRead(p, rhs, depth+1)
			}
			if fn == flask.ParamOf(n) && isVerifyCallback(fn) {
				return n.Text(), true
			}
			// A helper's parameter holds a credential when a caller passes
			// one read from the request: legacy_key_ok(request.headers[...]).
			if fn == flask.ParamOf(n) {
				for _, cs := range p.CallSites(fn) {
					if name, ok := credentialRead(p, cs.Arg(fn, n.Text()), depth+1); ok {
						return name, true
					}
				}
			}
		}
	case "boolean_operator":
		return credentialRead(p, n.ChildByField("left"), depth+1)
	}
	return "", false
}

// dottedEnds: the dotted name d is suffix or ends with it after a "." or
// "_" (request.args.get, args.get, request_headers.get; not kwargs.get, a
// function's keyword arguments).
func dottedEnds(d, suffix string) bool {
	return d == suffix || strings.HasSuffix(d, "."+suffix) || strings.HasSuffix(d, "_"+suffix)
}

// credentialName: a request field that carries a credential of any kind
// (API key, token, password, HMAC signature, PIN, one-time code), judged
// by its words: "keywords" is not a key.
func credentialName(s string) bool {
	switch headWord(s) {
	case "key", "apikey", "token", "jwt", "secret", "password", "passwd", "signature", "sig", "hmac", "otp", "pin",
		"authorization", "accesstoken", "authtoken", "apitoken", "passcode":
		return true
	}
	return false
}

// headWord is a name's last word, numbers left out: what the name is
// ("purged_otp_user" is a user, "x-hub-signature-256" a signature).
func headWord(s string) string {
	words := nameWords(s)
	for i := len(words) - 1; i >= 0; i-- {
		if strings.Trim(words[i], "0123456789") != "" {
			return words[i]
		}
	}
	return ""
}

func keyLikeName(n *python.Node) bool {
	var name string
	switch n.Kind {
	case "identifier":
		name = n.Text()
	case "attribute":
		name = n.ChildByField("attribute").Text()
	case "subscript":
		name, _ = n.ChildByField("subscript").StringValue()
		if name == "" {
			name = n.ChildByField("value").Text()
		}
	}
	l := strings.ToLower(name)
	return (strings.Contains(l, "key") || strings.Contains(l, "token") || strings.Contains(l, "secret")) && !strings.Contains(l, "name") && !strings.Contains(l, "header")
}

func positional(call *python.Node, i int) *python.Node {
	return Call{Args: call.ChildByField("arguments")}.Arg(i, "\x00")
}

func runAPIKeys(ps *Pass) {
	p := ps.Project
	for _, c := range ps.Calls {
		fn := c.Node.ChildByField("function")
		if !strings.HasSuffix(fn.Text(), "get") {
			continue // a dotted name ends with the text's last name
		}
		d := fn.DottedName()
		if strings.HasSuffix(d, "request.args.get") || strings.HasSuffix(d, "request.values.get") {
			if v := p.Eval(c.Arg(0, "key")); v.Kind == flask.Str && queryCredential(ps, v.S, c.Node) {
				reportQueryCredential(ps, c.Node, v.S)
			}
		}
	}
	for _, c := range ps.Calls {
		fn := c.Node.ChildByField("function")
		if fn.Kind != "attribute" {
			continue
		}
		switch fn.ChildByField("attribute").Text() {
		case "startswith", "endswith":
			// token.startswith(SECRET): byte-by-byte and any suffix passes.
			recv := fn.ChildByField("object")
			arg := c.Arg(0, "\x00")
			if arg != nil && ps.requestDerived(recv, 0) && ps.secretDerived(arg, 0) && !publicPrefix(p, arg) {
				before := len(ps.Findings)
				ps.ReportFlow("py.apikey-timing-compare", c.Node, finding.Firm, "the credential is matched with "+fn.ChildByField("attribute").Text()+", which compares byte by byte and accepts any token that merely contains the key",
					ps.compareFlow(c.Node, recv, arg), nil)
				if why := ps.passUnlocksNothing(c.Node); why != "" {
					ps.refute(before, step(c.Node, "", why))
				}
			}
		case "compare_digest":
			// hmac.compare_digest(given, KEY): constant time, but a
			// placeholder KEY is known to everyone.
			a, b := c.Arg(0, "a"), c.Arg(1, "b")
			if a != nil && b != nil {
				if ps.requestDerived(a, 0) {
					ps.reportKnownDefault(c.Node, a, b)
				} else if ps.requestDerived(b, 0) {
					ps.reportKnownDefault(c.Node, b, a)
				}
			}
		case "lower", "upper", "casefold":
			if name, ok := credentialRead(p, fn.ChildByField("object"), 0); ok && secretWord(name) {
				var flow []finding.Step
				if use := ps.authUse(c.Node, 0); use != nil {
					flow = append(append(ps.requestHandling(c.Node), step(c.Node, "source", "the "+name+" value, case-folded")), use...)
				}
				ps.ReportFlow("py.apikey-case-folded", c.Node, finding.Firm, "the "+name+" value is case-folded before the comparison, so case variants of a key are accepted", flow, nil)
			}
		}
	}
	for _, m := range p.Modules {
		m.File.Visit(func(n *python.Node) {
			switch n.Kind {
			case "subscript":
				if d := n.ChildByField("value").DottedName(); d == "request.args" || d == "request.values" {
					if s, ok := n.ChildByField("subscript").StringValue(); ok && queryCredential(ps, s, n) {
						reportQueryCredential(ps, n, s)
					}
				}
			case "comparison_operator":
				checkComparison(ps, n)
			}
		}, "subscript", "comparison_operator")
	}
}

func checkComparison(ps *Pass, n *python.Node) {
	p := ps.Project
	ops := n.NamedChildren()
	if len(ops) != 2 {
		return
	}
	a, b := ops[0].Unparen(), ops[1].Unparen()
	_, aCred := credentialRead(p, a, 0)
	switch {
	case n.HasChildKind("==") || n.HasChildKind("!="):
		for _, side := range []*python.Node{a, b} {
			v := p.Eval(side)
			if v.Kind == flask.None || v.Kind == flask.Str && len(v.S) < 8 && !keyShaped.MatchString(v.S) || v.Kind == flask.Int || v.Kind == flask.Bool {
				return
			}
		}
		if ormExpression(n, a, b) || !decides(n) {
			return
		}
		// One side from the request, the other a secret the server holds;
		// two user inputs (a password and its confirmation) are not.
		req, sec := a, b
		if !ps.requestDerived(req, 0) {
			req, sec = b, a
		}
		if !ps.requestDerived(req, 0) {
			return
		}
		ps.reportKnownDefault(n, req, sec)
		// A literal on the server side is a hardcoded credential only when
		// the request field carries one or the literal looks generated:
		// action == "delete_key" is a command, not a key.
		if v := p.Eval(sec); v.Kind == flask.Str {
			if _, cred := credentialRead(p, req, 0); !(cred && len(v.S) >= 8 && !placeholder(v.S)) && !ps.secretShaped(v.S) {
				return
			}
		} else if !ps.secretDerived(sec, 0) || !credentialish(ps, req, sec) {
			return
		}
		if hashedInput(req) || lookupBeforeConstantTime(ps, n, sec) || ps.heldByRequester(sec, req) || ps.signedBefore(n, req) {
			return
		}
		if ps.weakCredentialCompare(req, sec) {
			why := "neither side is shown to be a credential (no configured or generated value, no credential field of the request)"
			if s := sec.Unparen(); s.Kind == "attribute" && ps.composedField(s.ChildByField("attribute").Text(), 0) {
				why = "the project builds that field from other values (a composed name, not a secret)"
			}
			ps.reportReview("py.apikey-timing-compare", n, "a value named like a secret ("+ps.safeText(sec)+") is compared with "+opText(n)+"; "+why+": use hmac.compare_digest if it is a credential",
				ps.compareFlow(n, req, sec), nil)
			return
		}
		before := len(ps.Findings)
		ps.ReportFlow("py.apikey-timing-compare", n, finding.Firm, "a secret is compared with "+opText(n)+", which leaks its length of common prefix through timing; use hmac.compare_digest",
			ps.compareFlow(n, req, sec), nil)
		if why := ps.passUnlocksNothing(n); why != "" {
			ps.refute(before, step(n, "", why))
		}
	case n.HasChildKind("in") || n.HasChildKind("not in"):
		// SECRET in [from_query, from_header]: the secret is compared
		// with == against each value the client sent.
		if b.Kind == "list" || b.Kind == "tuple" || b.Kind == "set" {
			for _, it := range b.NamedChildren() {
				if ps.requestDerived(it, 0) && ps.secretDerived(a, 0) && decides(n) {
					ps.ReportFlow("py.apikey-timing-compare", n, finding.Firm, "a secret is looked up among the values the client sent (in on a list compares with == element by element); use hmac.compare_digest",
						ps.compareFlow(n, it, a), nil)
					return
				}
			}
		}
		v := p.Eval(b)
		if !aCred && !(keyLikeName(a) && secretSide(p, b)) {
			return
		}
		if v.Kind == flask.List && !secretItems(v) {
			return
		}
		if v.Kind == flask.Split {
			checkEmptyKey(ps, n, a, v)
		}
		if (v.Kind == flask.List || v.Kind == flask.Split) && !v.Set {
			var flow []finding.Step
			if ps.requestDerived(a, 0) {
				flow = ps.compareFlow(n, a, b)
			}
			ps.ReportFlow("py.apikey-timing-compare", n, finding.Tentative, "a key is looked up in a list, which compares it with == element by element; use hmac.compare_digest", flow, nil)
		}
	}
}

func opText(n *python.Node) string {
	if n.HasChildKind("!=") {
		return "!="
	}
	return "=="
}

// checkEmptyKey: ",".split of an unset or trailing-comma variable yields
// [""], so an empty key passes unless the code rejects empty keys first.
func checkEmptyKey(ps *Pass, cmp, key *python.Node, v flask.Value) {
	if v.Filtered || len(v.Items) == 0 {
		return
	}
	src := v.Items[0]
	switch src.Kind {
	case flask.Str:
		if !hasEmptyPart(src.S) {
			return
		}
	case flask.Env:
		// Unset (empty default) or set but empty, it splits to [""].
	default:
		return
	}
	if guardedEmpty(cmp, key) {
		return
	}
	ps.Report("py.apikey-empty-key", cmp, finding.Firm, "the key list comes from split(\",\") without dropping empty strings, so an empty key is accepted",
		nil, flask.Loc{File: v.Origin.File.Path, Line: v.Origin.Line})
}

func hasEmptyPart(s string) bool {
	for _, part := range strings.Split(s, ",") {
		if strings.TrimSpace(part) == "" {
			return true
		}
	}
	return false
}

// guardedEmpty looks for "not key" / "key and ..." / len(key) checks on the
// same name before the membership test in its function.
func guardedEmpty(cmp, key *python.Node) bool {
	name := key.Text()
	fn := cmp.Ancestor("function_definition")
	if fn == nil {
		return false
	}
	guarded := false
	fn.Walk(func(x *python.Node) bool {
		if x.Start >= cmp.Start && x.Kind != "boolean_operator" {
			return !guarded
		}
		switch x.Kind {
		case "not_operator":
			guarded = guarded || x.ChildByField("argument").Unparen().Text() == name
		case "boolean_operator":
			if x.Contains(cmp) && x.ChildByField("left").Unparen().Text() == name {
				guarded = true
			}
		case "call":
			if x.ChildByField("function").Text() == "len" && strings.Contains(x.ChildByField("arguments").Text(), name) {
				guarded = true
			}
		case "comparison_operator":
			ops := x.NamedChildren()
			if len(ops) == 2 && ops[0].Text() == name {
				if v, ok := ops[1].StringValue(); ok && v == "" {
					guarded = true
				}
			}
		}
		return !guarded
	})
	return guarded
}

// isVerifyCallback: a Flask-HTTPAuth @auth.verify_token callback, whose
// parameter is the credential the client sent.
func isVerifyCallback(fn *python.Node) bool {
	for _, d := range flask.Decorators(fn) {
		if d.Kind == "attribute" && d.ChildByField("attribute").Text() == "verify_token" {
			return true
		}
	}
	return false
}

// secretSide: an expression that holds a configured secret: an env read,
// a long literal, a list of keys, or a constant named like a key.
func secretSide(p *flask.Project, n *python.Node) bool {
	switch v := p.Eval(n); v.Kind {
	case flask.Env:
		return true
	case flask.Split:
		// A list split from configuration (an environment value or a
		// literal); a split of some other string (a policy value) is data.
		return len(v.Items) > 0 && (v.Items[0].Kind == flask.Env || v.Items[0].Kind == flask.Str)
	case flask.Str:
		return len(v.S) >= 8
	case flask.List:
		return secretItems(v)
	}
	var name string
	switch n.Kind {
	case "identifier":
		name = n.Text()
	case "attribute":
		name = n.ChildByField("attribute").Text()
	case "subscript":
		name, _ = n.ChildByField("subscript").StringValue()
	case "call":
		if fn := n.ChildByField("function"); fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "get" {
			name, _ = positional(n, 0).StringValue()
		}
	}
	return isConstantName(name) && apiKeyName(name) > 0
}

// secretItems: a list whose elements are not short literal words.
func secretItems(v flask.Value) bool {
	secret := false
	for _, it := range v.Items {
		switch {
		case it.Kind == flask.Env:
			secret = true
		case it.Kind == flask.Str && (keyShaped.MatchString(it.S) || randomish(it.S)):
			secret = true
		case it.Kind != flask.Unknown:
			return false // numbers, short words: not keys
		}
	}
	return secret
}

// queryCredential: a query parameter that carries a credential. A bare
// "token" is often a one-time link token (password reset, e-mail
// confirmation), so it counts only where the function also handles JWTs
// or the Authorization header.
func queryCredential(ps *Pass, name string, at *python.Node) bool {
	if !credentialName(name) {
		return false
	}
	if l := strings.ToLower(name); l != "token" && l != "t" {
		return true
	}
	fn := at.Ancestor("function_definition")
	if fn == nil {
		return false
	}
	t := fn.Text()
	if strings.Contains(t, "Authorization") {
		return true
	}
	// A bare "token" is a credential when the handler decodes a JWT or
	// logs a user in with it (api_to_cookie: login_user(token.user)); a
	// link's token (a password reset, an e-mail check, a feed) is not
	// taken for one on its name.
	for _, c := range ps.Calls {
		if fn.Contains(c.Node) && (flask.IsJWTDecode(c.Q) || strings.HasSuffix(c.Q, "login_user")) {
			return true
		}
	}
	return false
}

// compareFlow is a comparison's evidence: the request-handling entry, the
// request value (source), the secret side and the comparison (sink).
func (ps *Pass) compareFlow(cmp, req, sec *python.Node) []finding.Step {
	flow := ps.requestHandling(cmp)
	flow = append(flow, step(req, "source", "request data: "+ps.safeText(req)))
	flow = append(flow, step(sec, "step", "server secret: "+ps.safeText(sec)))
	return append(flow, step(cmp, "sink", "compared without a constant-time function"))
}

// queryFlow is the evidence of a credential read from the query string:
// the read (source) and where it authenticates (sink).
func (ps *Pass) queryFlow(read *python.Node) []finding.Step {
	use := ps.authUse(read, 0)
	if use == nil {
		return nil
	}
	return append(append(ps.requestHandling(read), step(read, "source", "read from the query string")), use...)
}

// credentialish: the comparison is about a credential — the request side
// is read from a credential-named field, or the secret side is not a
// plain stored field (a configured value or a computed digest).
func credentialish(ps *Pass, req, sec *python.Node) bool {
	if _, ok := credentialRead(ps.Project, req, 0); ok {
		return true
	}
	if sec.Kind == "attribute" {
		// A field the server fills with a generated secret.
		if held, known := ps.fieldOrigin(sec.ChildByField("attribute").Text(), 0); known {
			return held
		}
	}
	return secretWordIn(req) || secretWordIn(sec) || secretSide(ps.Project, sec)
}

// secretWordIn: some name in the expression says secret.
func secretWordIn(n *python.Node) bool {
	found := false
	n.Walk(func(x *python.Node) bool {
		if x.Kind == "identifier" && secretWord(x.Text()) {
			found = true
		}
		if x.Kind == "string" {
			if s, ok := x.StringValue(); ok && len(s) < 40 && secretWord(s) {
				found = true
			}
		}
		return !found
	})
	return found
}

func oneLineText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// ormExpression: Model.column == value builds a query (filter, where):
// the database compares, not Python.
func ormExpression(cmp *python.Node, sides ...*python.Node) bool {
	for _, side := range sides {
		if side.Kind == "attribute" {
			if o := side.ChildByField("object"); o.Kind == "identifier" && o.Text() != "" && o.Text()[0] >= 'A' && o.Text()[0] <= 'Z' {
				return true
			}
		}
	}
	for c := cmp.Parent; c != nil && c.Kind != "block" && c.Kind != "function_definition"; c = c.Parent {
		if c.Kind != "call" {
			continue
		}
		fn := c.ChildByField("function")
		if fn.Kind == "attribute" {
			switch fn.ChildByField("attribute").Text() {
			case "filter", "filter_by", "where", "having", "join", "outerjoin", "and_", "or_", "select":
				return true
			}
		}
		switch fn.Text() {
		case "and_", "or_", "sqlalchemy.and_", "sqlalchemy.or_":
			return true
		}
	}
	return false
}

// hashedInput: the request side is a hash of the request data
// (check_hash(pw) == stored): an attacker cannot steer its bytes, so
// timing reveals nothing useful.
func hashedInput(req *python.Node) bool {
	req = req.Unparen()
	for req != nil && req.Kind == "call" {
		fn := req.ChildByField("function")
		name := fn.Text()
		if fn.Kind == "attribute" {
			name = fn.ChildByField("attribute").Text()
		}
		for _, w := range nameWords(name) {
			if strings.Contains(w, "hash") || strings.Contains(w, "crypt") || w == "digest" || w == "hexdigest" {
				return true
			}
		}
		if fn.Kind != "attribute" {
			return false
		}
		req = fn.ChildByField("object").Unparen()
	}
	return false
}

// decides: the comparison's outcome is an access decision — it guards a
// branch that returns, raises or aborts, or it is itself returned or kept.
// A comparison that only chooses whether to store a new value is not.
func decides(cmp *python.Node) bool {
	cur := cmp
	for cur.Parent != nil {
		par := cur.Parent
		switch par.Kind {
		case "boolean_operator", "not_operator", "parenthesized_expression":
			cur = par
			continue
		case "if_statement", "elif_clause", "while_statement":
			if cur.Field() != "condition" {
				return false
			}
			exits := false
			for _, f := range []string{"consequence", "alternative"} {
				b := par.ChildByField(f)
				if b == nil {
					continue
				}
				b.Walk(func(x *python.Node) bool {
					switch x.Kind {
					case "return_statement", "raise_statement":
						exits = true
					case "call":
						if t := x.ChildByField("function").Text(); t == "abort" || t == "flask.abort" || strings.HasSuffix(t, "login_user") {
							exits = true
						}
					case "function_definition":
						return false
					}
					return !exits
				})
			}
			return exits
		case "argument_list", "keyword_argument", "subscript", "list", "tuple", "lambda", "if_clause":
			return false // a filter over a list, not an access decision
		}
		return true // returned, assigned, asserted, a conditional expression
	}
	return false
}

// safeText is an expression's text for a flow note, each literal in it
// that could be a credential (8 characters or more, not a plain name)
// replaced by its length: notes never carry a secret.
func (ps *Pass) safeText(n *python.Node) string {
	src := n.File.Src
	var b strings.Builder
	last := n.Start
	n.Walk(func(x *python.Node) bool {
		if x.Kind != "string" {
			return true
		}
		if v, ok := x.StringValue(); ok && len(v) >= 8 && !identifierShaped(v) {
			b.Write(src[last:x.Start])
			b.WriteString("<literal, " + itoa(len(v)) + " characters>")
			last = x.End
		}
		return false
	})
	b.Write(src[last:n.End])
	return oneLineText(b.String())
}
