package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixRevocationVerifier revokes tokens at logout and at a password change
// for a hand-written verifier (an auth decorator whose wrapper decodes the
// token in a try, its except answering the refusal): a module-level
// denylist and per-account tokens-valid-after are checked right after the
// decode (before the wrapper calls the view), with the verifier's own
// refusal, and the verified token and claims are kept on g; the logout view revokes its token; the password
// change, right after the statement storing the new password (the cause
// line), revokes its token and the account's earlier ones. The account is
// the claim the verifier itself reads the caller from (claims["sub"]).
func fixRevocationVerifier(s *site) (*attempt, string) {
	def := s.routeDef()
	if def == nil {
		def = s.viewAt()
	}
	if def == nil {
		return nil, "no route function at " + s.f.Location.String()
	}
	var wrapper, decode *python.Node
	var factory string
	for _, d := range authDecorators(def) {
		name, _, _ := strings.Cut(strings.TrimPrefix(d, "@"), "(")
		if fn := topFunc(s.file, name); fn != nil {
			if w, call := decodingWrapper(fn); w != nil {
				wrapper, decode, factory = w, call, name
				break
			}
		}
	}
	if wrapper == nil {
		return nil, "the route's auth decorator is not a function of this file whose wrapper decodes the token in a try"
	}
	as := decode.Parent
	if as == nil || as.Kind != "assignment" || as.ChildByField("left").Kind != "identifier" {
		return nil, "the verifier does not assign the decoded claims to a name"
	}
	claims := as.ChildByField("left").Text()
	pos := positional(decode)
	if len(pos) == 0 || pos[0].Kind != "identifier" {
		return nil, "the verifier does not decode a token held in a name"
	}
	token := pos[0].Text()
	try := as.Ancestor("try_statement")
	refusal := ""
	if try != nil {
		refusal = exceptReturn(try)
	}
	if refusal == "" {
		return nil, "the verifier's decode is not in a try whose except answers with one return to reuse"
	}
	account := claimRead(wrapper, claims)
	src := s.src()
	wsts := wrapper.ChildByField("body").NamedChildren()
	last := wsts[len(wsts)-1]
	if last.Kind != "return_statement" || !last.Contains(try) && try.Start > last.Start {
		return nil, "the verifier's wrapper does not end by calling the view (a return)"
	}
	ind := indentOf(src, last.Start)
	check := ind + "if " + token + " in REVOKED_TOKENS"
	if account != "" {
		check += " or " + claims + ".get(\"iat\", 0) < TOKENS_VALID_AFTER.get(str(" + claims + ".get(" + quote(account) + ")), 0)"
	}
	check += ":\n" + ind + "    " + refusal + "\n" + ind + "g.auth_token, g.auth_claims = " + token + ", " + claims + "\n"
	fdef := topFunc(s.file, factory)
	at := helperAbove(src, fdef)
	ls := lineStart(src, last.Start)
	edits := []Edit{{Start: at, End: at, New: revokedStore}, {Start: ls, End: ls, New: check}}
	var what string
	switch s.f.Rule {
	case "session.logout-not-revoked":
		sts := def.ChildByField("definition").ChildByField("body").NamedChildren()
		first := sts[0]
		if first.Kind == "expression_statement" && first.NamedChildren()[0].Kind == "string" && len(sts) > 1 {
			first = sts[1]
		}
		p := lineStart(src, first.Start)
		edits = append(edits, Edit{Start: p, End: p, New: indentOf(src, first.Start) + "REVOKED_TOKENS.add(g.auth_token)\n"})
		what = "logout revokes the token it is called with; " + factory + " refuses revoked tokens"
	default:
		if account == "" {
			return nil, "the verifier reads the caller from no claim (claims[\"sub\"]): the account's earlier tokens cannot be told"
		}
		var st *python.Node
		for _, n := range s.onLine("expression_statement") {
			if n.Line == s.line && len(n.NamedChildren()) == 1 && n.NamedChildren()[0].Kind == "assignment" {
				st = n
			}
		}
		if st == nil {
			return nil, "the cause line is not the statement storing the new password"
		}
		si := indentOf(src, st.Start)
		edits = append(edits, insertAfter(src, st.End, si+"REVOKED_TOKENS.add(g.auth_token)\n"+
			si+"TOKENS_VALID_AFTER[str(g.auth_claims.get("+quote(account)+"))] = int(time.time())\n"))
		what = "a password change revokes the token it is made with and every token of the account issued before it; " + factory + " refuses them"
	}
	var imports string
	if !importsName(s.file, "flask", "g") {
		imports += "from flask import g\n"
	}
	if !importsModule(s.file, "time") {
		imports += "import time\n"
	}
	if imports != "" {
		p := importPos(s.file)
		edits = append(edits, Edit{Start: p, End: p, New: imports})
	}
	return &attempt{edits: edits, what: what}, ""
}

// revokedStore is the module-level revocation state of a hand-written verifier.
const revokedStore = `# Revoked tokens: logout revokes the token it is called with; a password
# change revokes it and every token of the account issued before. Kept in
# memory: several workers need a shared store (Redis, the database).
REVOKED_TOKENS = set()
TOKENS_VALID_AFTER = {}


`

// viewAt returns the route function of the finding's endpoint.
func (s *site) viewAt() *python.Node {
	if s.f.Endpoint == nil {
		return nil
	}
	return routeFor(s.file, s.f.Endpoint.Method, s.f.Endpoint.Path)
}

// topFunc returns the module-level function named name.
func topFunc(f *python.File, name string) *python.Node {
	for _, st := range f.Root.NamedChildren() {
		d := st
		if d.Kind == "decorated_definition" {
			d = d.ChildByField("definition")
		}
		if d != nil && d.Kind == "function_definition" && d.ChildByField("name").Text() == name {
			return d
		}
	}
	return nil
}

// decodingWrapper returns the function nested in a decorator factory that
// decodes a JWT, and the decode call.
func decodingWrapper(factory *python.Node) (*python.Node, *python.Node) {
	var w, call *python.Node
	factory.ChildByField("body").Walk(func(n *python.Node) bool {
		if call != nil {
			return false
		}
		if n.Kind == "call" && isDecode(callName(n)) {
			if fn := n.Ancestor("function_definition"); fn != nil && fn != factory {
				w, call = fn, n
			}
		}
		return true
	})
	return w, call
}

// claimRead returns the claim a function reads the caller from:
// claims["sub"] (a subscript of the claims name with a string).
func claimRead(fn *python.Node, claims string) string {
	out := ""
	fn.Walk(func(n *python.Node) bool {
		if out != "" {
			return false
		}
		if n.Kind == "subscript" && n.ChildByField("value").Text() == claims {
			if k, ok := n.ChildByField("subscript").StringValue(); ok {
				out = k
			}
		}
		return true
	})
	return out
}

// helperAbove is where module-level state for a function goes: above the
// function and the comments and decorators attached to it.
func helperAbove(src []byte, fn *python.Node) int {
	top := fn
	if fn.Parent != nil && fn.Parent.Kind == "decorated_definition" {
		top = fn.Parent
	}
	at := lineStart(src, top.Start)
	for at > 0 {
		prev := lineStart(src, at-1)
		if !strings.HasPrefix(strings.TrimSpace(string(src[prev:at])), "#") {
			break
		}
		at = prev
	}
	return at
}
