package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// jwtLib names the library of a decode/encode call: pyjwt, jose, authlib.
func jwtLib(q, fn string) string {
	if !strings.HasSuffix(q, "."+fn) {
		return ""
	}
	switch {
	case q == "jwt."+fn || q == "jwt.api_jwt."+fn || strings.HasSuffix(q, "PyJWT()."+fn):
		return "pyjwt"
	case strings.HasPrefix(q, "jose."):
		return "jose"
	case strings.HasPrefix(q, "authlib."):
		return "authlib"
	}
	return ""
}

const maxLeeway = 300

func runDecode(ps *Pass) {
	for _, c := range ps.Calls {
		if strings.HasSuffix(c.Q, "decode_token") && strings.Contains(c.Q, "flask_jwt_extended") {
			if v, _ := ps.Project.Eval(c.Arg(-1, "allow_expired")).Truthy(); v {
				ps.ReportFlow("py.jwt-exp-not-verified", c.Node, finding.Firm, "decode_token(allow_expired=True) accepts expired tokens",
					ps.callerClaims(c.Node, tokenArg(c.Node), "decoded accepting an expired token"), nil)
			}
			continue
		}
		switch jwtLib(c.Q, "decode") {
		case "pyjwt", "jose":
			checkDecode(ps, c, jwtLib(c.Q, "decode"))
		case "authlib":
			checkAuthlib(ps, c)
		}
	}
	optionLiterals(ps)
}

var jwtOptionKeys = map[string]bool{"verify_signature": true, "verify_exp": true, "verify_aud": true, "verify_iss": true,
	"verify_nbf": true, "verify_iat": true, "verify_sub": true, "verify_jti": true, "require": true, "require_exp": true, "leeway": true}

// optionLiterals reports JWT option dicts written away from the decode
// call (passed through a verifier factory, kept in a settings module):
// "verify_exp": False means the same wherever it is written.
// mayBeJWTOptions reports whether a dictionary literal may evaluate to
// JWT options: every entry a pair, and no key a plain string other than an
// option's name. Most dictionaries of a project are not, and evaluating
// each of them is the cost of this rule.
func mayBeJWTOptions(d *python.Node) bool {
	for _, c := range d.NamedChildren() {
		if c.Kind != "pair" {
			return false // not evaluated as a dict
		}
		if k := c.ChildByField("key"); k != nil && k.Kind == "string" {
			if s, ok := k.StringValue(); ok && !jwtOptionKeys[s] {
				return false
			}
		}
	}
	return true
}

func optionLiterals(ps *Pass) {
	for _, m := range ps.Project.Modules {
		for _, d := range m.File.OfKind("dictionary") {
			if ps.handled[d] || !mayBeJWTOptions(d) {
				continue
			}
			flow := func(note string) []finding.Step { return ps.optionsFlow(d, note) }
			v := ps.Project.Eval(d)
			if v.Kind != flask.Dict || len(v.Keys) == 0 {
				continue
			}
			jwtOpts := true
			for _, k := range v.Keys {
				jwtOpts = jwtOpts && k.Kind == flask.Str && jwtOptionKeys[k.S]
			}
			if !jwtOpts {
				continue
			}
			for i, k := range v.Keys {
				off, known := v.Items[i].Truthy()
				if !known || off {
					continue
				}
				switch k.S {
				case "verify_signature":
					ps.Report("py.jwt-unverified", d, finding.Firm, "JWT options with verify_signature False: any signature is accepted where they are used", nil)
				case "verify_exp":
					before := len(ps.Findings)
					ps.ReportFlow("py.jwt-exp-not-verified", d, finding.Firm, "JWT options with verify_exp False: expired tokens are accepted where they are used",
						flow("decoded accepting an expired token"), nil)
					ps.demoteExpByHand(before, d)
				case "verify_aud", "verify_iss", "verify_nbf", "verify_iat":
					ps.ReportFlow("py.jwt-claim-not-verified", d, finding.Firm, "JWT options with "+k.S+" False skip that claim check where they are used",
						flow("decoded without checking "+strings.TrimPrefix(k.S, "verify_")), nil)
				}
			}
			if req, ok := v.Get("require"); ok {
				if names, ok := req.Strings(); ok && !containsStr(names, "exp") {
					ps.Report("py.jwt-exp-not-required", d, finding.Tentative, "the required claims do not include exp: a token without exp never expires", nil)
				}
			}
		}
	}
}

func containsStr(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func checkDecode(ps *Pass, c Call, lib string) {
	p := ps.Project
	opts := p.Eval(c.Arg(-1, "options"))
	if opts.Node != nil {
		ps.handled[opts.Node] = true
	}
	if v, ok := opts.Get("verify_signature"); ok {
		if t, known := v.Truthy(); known && !t {
			before := len(ps.Findings)
			ps.ReportFlow("py.jwt-unverified", optionAt(c, opts, "verify_signature"), finding.Firm, "jwt.decode with options verify_signature False accepts any signature",
				ps.unverifiedFlow(c.Node, c.Arg(0, "jwt")), nil)
			ps.refuteVerifiedLater(before, c)
			return
		}
	}
	if v, known := p.Eval(c.Arg(-1, "verify")).Truthy(); known && !v {
		before := len(ps.Findings)
		ps.ReportFlow("py.jwt-unverified", c.Arg(-1, "verify").Parent, finding.Firm, "jwt.decode(verify=False) (PyJWT 1.x) accepts any signature",
			ps.unverifiedFlow(c.Node, c.Arg(0, "jwt")), nil)
		ps.refuteVerifiedLater(before, c)
		return
	}
	if why, ok := emptyKey(p, c.Arg(1, "key")); ok {
		ps.Report("py.jwt-empty-secret", c.Node, finding.Firm, why+": anyone can sign tokens this decode accepts", nil)
	}
	algs := c.Arg(2, "algorithms")
	switch {
	case algs == nil && !c.HasKwargs():
		conf, msg := finding.Tentative, "jwt.decode without algorithms=: PyJWT 1.x accepts whatever algorithm the token names (2.x refuses to decode)"
		if lib == "jose" {
			conf, msg = finding.Firm, "jose jwt.decode without algorithms accepts whatever algorithm the token names"
		}
		ps.ReportFlow("py.jwt-no-algorithms", c.Node, conf, msg, ps.verifyFlow(c.Node, c.Arg(0, "jwt"), "decoded with whatever algorithm the token names"), nil)
	case algs != nil:
		checkAlgorithms(ps, c.Node, algs)
	}
	checkOptions(ps, c, opts)
	if lw := p.Eval(c.Arg(-1, "leeway")); lw.Kind == flask.Int && lw.I > maxLeeway {
		ps.Report("py.jwt-large-leeway", c.Node, finding.Firm, "leeway of "+itoa(int(lw.I))+" s accepts tokens long after they expire", nil)
	} else if secs, ok := durationSeconds(p, c.Arg(-1, "leeway")); ok && secs > maxLeeway {
		ps.Report("py.jwt-large-leeway", c.Node, finding.Firm, "leeway of "+itoa(int(secs))+" s accepts tokens long after they expire", nil)
	}
}

func checkAlgorithms(ps *Pass, call, algs *python.Node) {
	p := ps.Project
	if fromHeader(algs) {
		// Evidence: the token is the client's (request data) and the
		// decode runs while handling a request; a token fetched from an
		// identity provider's token endpoint is not the attacker's.
		var flow []finding.Step
		if e := ps.requestHandling(call); e != nil {
			if tok := positional(call, 0); tok != nil && ps.requestDerived(tok, 0) {
				flow = append(append(e, step(tok, "source", "the token comes from the request")), step(call, "sink", "verified with the algorithm its own header names"))
			}
		}
		ps.ReportFlow("py.jwt-alg-from-header", call, finding.Firm, "the algorithm list is taken from the token's own header", flow, nil)
		return
	}
	v := p.Eval(algs)
	if v.Kind == flask.None {
		ps.Report("py.jwt-no-algorithms", call, finding.Firm, "algorithms=None accepts whatever algorithm the token names", nil)
		return
	}
	names, ok := v.Strings()
	if !ok {
		return
	}
	reportAlgs(ps, call, names, "algorithms")
}

func reportAlgs(ps *Pass, n *python.Node, names []string, what string) {
	hs, asym := false, false
	for _, a := range names {
		switch u := strings.ToUpper(a); {
		case u == "NONE":
			ps.Report("py.jwt-alg-none", n, finding.Firm, what+" allows \"none\": unsigned tokens are accepted", nil)
		case strings.HasPrefix(u, "HS"):
			hs = true
		case strings.HasPrefix(u, "RS") || strings.HasPrefix(u, "ES") || strings.HasPrefix(u, "PS") || u == "EDDSA":
			asym = true
		}
	}
	if hs && asym {
		ps.Report("py.jwt-alg-mixed", n, finding.Firm, what+" mixes HMAC and public-key algorithms: a token signed with HS256 and the public key as secret is accepted", nil)
	}
}

// fromHeader reports an algorithms expression derived from the unverified
// header (directly or through a local variable).
func fromHeader(n *python.Node) bool { return fromHeaderAt(n, 0) }

func fromHeaderAt(n *python.Node, depth int) bool {
	found := false
	if depth > maxFollow {
		return false
	}
	n.Walk(func(x *python.Node) bool {
		if strings.Contains(x.Text(), "get_unverified_header") {
			found = true
		}
		if x.Kind == "identifier" && !found {
			if fn := x.Ancestor("function_definition"); fn != nil {
				if rhs := flask.LocalAssign(fn, x.Text(), x.Start); rhs != nil && rhs != n && !rhs.Contains(x) && depthOK(rhs) {
					found = fromHeaderAt(rhs, depth+1)
				}
			}
		}
		return !found
	})
	return found
}

func depthOK(n *python.Node) bool { return n.End-n.Start < 4096 }

func checkOptions(ps *Pass, c Call, opts flask.Value) {
	if opts.Node != nil {
		ps.handled[opts.Node] = true
	}
	if opts.Kind != flask.Dict {
		if opts.Kind == flask.Unknown && c.Arg(-1, "options") != nil {
			return
		}
		if !c.HasKwargs() {
			ps.Report("py.jwt-exp-not-required", c.Node, finding.Tentative, "no options require exp: a token without exp never expires", nil)
		}
		return
	}
	for i, k := range opts.Keys {
		if k.Kind != flask.Str {
			continue
		}
		off, known := opts.Items[i].Truthy()
		if !known || off {
			continue
		}
		switch k.S {
		case "verify_exp":
			before := len(ps.Findings)
			ps.ReportFlow("py.jwt-exp-not-verified", optionAt(c, opts, k.S), finding.Firm, "options verify_exp False accepts expired tokens",
				ps.callerClaims(c.Node, tokenArg(c.Node), "decoded accepting an expired token"), nil)
			ps.demoteExpByHand(before, c.Node)
		case "verify_aud", "verify_iss", "verify_nbf", "verify_iat":
			ps.ReportFlow("py.jwt-claim-not-verified", optionAt(c, opts, k.S), finding.Firm, "options "+k.S+" False skips that claim check",
				ps.callerClaims(c.Node, tokenArg(c.Node), "decoded without checking "+strings.TrimPrefix(k.S, "verify_")), nil)
		}
	}
	req, hasReq := opts.Get("require")
	reqExp, hasReqExp := opts.Get("require_exp")
	requires := false
	if names, ok := req.Strings(); hasReq && ok {
		for _, n := range names {
			requires = requires || n == "exp"
		}
	} else if hasReq {
		requires = true
	}
	if t, _ := reqExp.Truthy(); hasReqExp && t {
		requires = true
	}
	if !requires {
		ps.Report("py.jwt-exp-not-required", c.Node, finding.Tentative, "options do not require exp: a token without exp never expires", nil)
	}
}

// checkAuthlib: authlib's decode verifies the signature only; claims need
// claims.validate(). The module-level jwt instance accepts every algorithm.
func checkAuthlib(ps *Pass, c Call) {
	if c.Q == "authlib.jose.jwt.decode" && !jwksKey(ps.Project, c.Arg(1, "key")) {
		msg := "authlib's default jwt instance accepts every JWS algorithm; use JsonWebToken([\"HS256\"])"
		switch ps.keyFamily(c.Arg(1, "key"), 0) {
		case "set":
			ps.reportReview("py.jwt-no-algorithms", c.Node, msg+" (the key is a JWK set: its typed keys fix the algorithm family, and authlib never verifies \"none\")", nil, nil)
		case "secret":
			ps.reportReview("py.jwt-no-algorithms", c.Node, msg+" (the key is HMAC bytes the app derives: only HS* can verify with it, and authlib never verifies \"none\")", nil, nil)
		default:
			ps.Report("py.jwt-no-algorithms", c.Node, finding.Tentative, msg, nil)
		}
	}
	fn := c.Node.Ancestor("function_definition")
	if fn == nil {
		return
	}
	validated := false
	fn.Walk(func(x *python.Node) bool {
		if x.Kind == "call" && strings.HasSuffix(x.ChildByField("function").DottedName(), ".validate") {
			validated = true
		}
		return !validated
	})
	if !validated {
		ps.Report("py.authlib-claims-not-validated", c.Node, finding.Firm, "authlib jwt.decode without claims.validate(): exp, nbf and iat are never checked", nil)
	}
}

// optionAt is where an option is switched off: its key in a dict written
// inside the call (a decode spanning lines points at the culprit), else
// the call itself.
func optionAt(c Call, opts flask.Value, key string) *python.Node {
	if opts.Node == nil || !c.Node.Contains(opts.Node) || opts.Node.Kind != "dictionary" {
		return c.Node
	}
	for _, pair := range opts.Node.NamedChildren() {
		if k, ok := pair.ChildByField("key").StringValue(); ok && k == key {
			return pair
		}
	}
	return c.Node
}

// verifiedAfter reports whether the token an unverified decode reads is
// decoded again, with its signature verified, later in the same function:
// the unverified read only picks the issuer or key.
func verifiedAfter(ps *Pass, c Call) bool {
	tok := c.Arg(0, "jwt")
	fn := c.Node.Ancestor("function_definition")
	if tok == nil || fn == nil {
		return false
	}
	for _, o := range ps.Calls {
		if o.Node.Start <= c.Node.End || !fn.Contains(o.Node) || jwtLib(o.Q, "decode") == "" {
			continue
		}
		if t := o.Arg(0, "jwt"); t == nil || t.Text() != tok.Text() {
			continue
		}
		if verifiedDecode(ps, o) {
			return true
		}
	}
	// The token handed on to a project function that verifies it:
	// _decode_jwt(encoded_token=token, secret=key_from_the_peek).
	for _, o := range ps.Calls {
		if o.Node.Start <= c.Node.End || !fn.Contains(o.Node) || !passes(o, tok.Text()) {
			continue
		}
		_, def := ps.Project.ResolveFunc(o.Module, o.Node.ChildByField("function").DottedName())
		if def == nil {
			continue
		}
		for _, d := range ps.Calls {
			if def.Contains(d.Node) && jwtLib(d.Q, "decode") != "" && verifiedDecode(ps, d) {
				return true
			}
		}
	}
	return false
}

// passes reports whether a call hands the expression text on as an argument.
func passes(c Call, text string) bool {
	for _, a := range c.Args.NamedChildren() {
		switch a.Kind {
		case "keyword_argument":
			a = a.ChildByField("value")
		case "dictionary_splat": // **kwargs built from a local dict
			if inner := a.NamedChildren(); len(inner) == 1 && inner[0].Kind == "identifier" {
				if fn := a.Ancestor("function_definition"); fn != nil {
					if rhs := flask.LocalAssign(fn, inner[0].Text(), a.Start); rhs != nil && rhs.Kind == "dictionary" {
						for _, pair := range rhs.NamedChildren() {
							if v := pair.ChildByField("value"); v != nil && v.Text() == text {
								return true
							}
						}
					}
				}
			}
		}
		if a != nil && a.Text() == text {
			return true
		}
	}
	return false
}

// verifiedDecode: a decode with a key and the signature check left on.
func verifiedDecode(ps *Pass, o Call) bool {
	{
		opts := ps.Project.Eval(o.Arg(-1, "options"))
		if v, ok := opts.Get("verify_signature"); ok {
			if t, known := v.Truthy(); known && !t {
				return false
			}
		}
		return o.Arg(1, "key") != nil
	}
}

// jwksKey reports whether a verification key is a JWK Set imported with
// JsonWebKey.import_key_set: public keys whose types pin the algorithm
// family, so the default instance's algorithm list opens no confusion.
func jwksKey(p *flask.Project, n *python.Node) bool {
	v := p.Eval(n)
	if v.Node == nil || v.Node.Kind != "call" {
		return false
	}
	d := v.Node.ChildByField("function").DottedName()
	return strings.HasSuffix(d, "import_key_set") || strings.HasSuffix(d, "KeySet")
}

// shadowed: the call's receiver is a local of the enclosing function,
// assigned before the call (or a parameter).
func shadowed(call *python.Node) bool {
	fn := call.ChildByField("function")
	fnDef := call.Ancestor("function_definition")
	if fn.Kind != "attribute" || fnDef == nil {
		return false
	}
	recv := fn.ChildByField("object")
	if recv.Kind != "identifier" {
		return false
	}
	if flask.ParamOf(recv) == fnDef {
		return true
	}
	return flask.LocalAssign(fnDef, recv.Text(), call.Start) != nil
}

// verifyFlow is the evidence of a weakened verification: the request
// path that reaches the decode (entry), the token when it comes from the
// request (source), and the decode (sink).
func (ps *Pass) verifyFlow(call, tok *python.Node, note string) []finding.Step {
	flow := ps.requestHandling(call)
	if tok != nil && ps.requestDerived(tok, 0) {
		flow = append(flow, step(tok, "source", "the token comes from the request"))
	}
	return append(flow, step(call, "sink", note))
}
