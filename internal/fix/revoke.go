package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixRevocation revokes tokens at logout and at a password change, for
// flask-jwt-extended (its documented blocklist): the module's JWTManager
// gets a token_in_blocklist_loader refusing the revoked token ids and, per
// account, every token issued before its last password change; the logout
// view revokes the token it is called with; the password change view, once
// the change succeeded (before its final return), revokes it and the
// account's earlier tokens. A hand-written verifier is listed, not guessed.
func fixRevocation(s *site) (*attempt, string) {
	mgr, mgrStmt := jwtManager(s.file)
	if mgr == "" {
		return nil, "no flask-jwt-extended JWTManager in " + s.file.Path + ": revocation in a hand-written verifier needs a person (a denylist checked where tokens are verified)"
	}
	if strings.Contains(string(s.src()), "token_in_blocklist_loader") {
		return nil, "the module already has a token_in_blocklist_loader: its logic needs a person"
	}
	def := s.routeDef()
	if def == nil && s.f.Endpoint != nil {
		def = routeFor(s.file, s.f.Endpoint.Method, s.f.Endpoint.Path)
	}
	if def == nil || !strings.Contains(strings.Join(authDecorators(def), " "), "jwt_required") {
		return nil, "the route is not a @jwt_required view"
	}
	body := def.ChildByField("definition").ChildByField("body")
	sts := body.NamedChildren()
	if len(sts) == 0 {
		return nil, "the view has an empty body"
	}
	var use Edit
	var what string
	switch s.f.Rule {
	case "session.logout-not-revoked":
		first := sts[0]
		at := lineStart(s.src(), first.Start)
		use = Edit{Start: at, End: at, New: indentOf(s.src(), first.Start) + `REVOKED_JTIS.add(get_jwt()["jti"])` + "\n"}
		what = "logout revokes the token it is called with (a token_in_blocklist_loader refuses revoked tokens)"
	default:
		last := sts[len(sts)-1]
		if last.Kind != "return_statement" {
			return nil, "the password change view does not end with its success answer (a return)"
		}
		at := lineStart(s.src(), last.Start)
		ind := indentOf(s.src(), last.Start)
		use = Edit{Start: at, End: at, New: ind + `REVOKED_JTIS.add(get_jwt()["jti"])` + "\n" +
			ind + "TOKENS_VALID_AFTER[str(get_jwt_identity())] = int(time.time())\n"}
		what = "a password change revokes the token it is made with and every token of the account issued before it (a token_in_blocklist_loader refuses them)"
	}
	loader := insertAfter(s.src(), mgrStmt.End, strings.ReplaceAll(blocklistCode, "@@MGR@@", mgr))
	edits := []Edit{loader, use}
	var names []string
	for _, n := range []string{"get_jwt", "get_jwt_identity"} {
		if !importsName(s.file, "flask_jwt_extended", n) {
			names = append(names, n)
		}
	}
	var imports string
	if len(names) > 0 {
		imports += "from flask_jwt_extended import " + strings.Join(names, ", ") + "\n"
	}
	if !importsModule(s.file, "time") {
		imports += "import time\n"
	}
	if imports != "" {
		at := importPos(s.file)
		edits = append(edits, Edit{Start: at, End: at, New: imports})
	}
	return &attempt{edits: edits, what: what}, ""
}

// jwtManager returns the name bound to JWTManager(...) at module level
// and its statement.
func jwtManager(f *python.File) (string, *python.Node) {
	for _, st := range f.Root.NamedChildren() {
		if st.Kind != "expression_statement" || len(st.NamedChildren()) != 1 {
			continue
		}
		as := st.NamedChildren()[0]
		if as.Kind != "assignment" || as.ChildByField("left").Kind != "identifier" {
			continue
		}
		if r := as.ChildByField("right"); r != nil && r.Kind == "call" && strings.HasSuffix(callName(r), "JWTManager") {
			return as.ChildByField("left").Text(), st
		}
	}
	return "", nil
}

// importsName reports whether the module imports name from module.
func importsName(f *python.File, module, name string) bool {
	for _, st := range f.Root.NamedChildren() {
		if st.Kind != "import_from_statement" || st.ChildByField("module_name").Text() != module {
			continue
		}
		for _, c := range st.NamedChildren() {
			if c.Kind == "dotted_name" && c.Text() == name && c != st.ChildByField("module_name") {
				return true
			}
		}
	}
	return false
}

// blocklistCode is the revocation store and flask-jwt-extended's loader.
const blocklistCode = `
# Revoked tokens: logout revokes the token it is called with; a password
# change revokes it and every token of the account issued before. Kept in
# memory: several workers need a shared store (Redis, the database).
REVOKED_JTIS = set()
TOKENS_VALID_AFTER = {}


@@@MGR@@.token_in_blocklist_loader
def token_revoked(jwt_header, jwt_payload):
    return (jwt_payload.get("jti") in REVOKED_JTIS
            or jwt_payload.get("iat", 0) < TOKENS_VALID_AFTER.get(str(jwt_payload.get("sub")), 0))
`

// fixRequireExp makes flask-jwt-extended refuse a token without exp (it
// has no decode option for it): a token_verification_loader below the
// JWTManager returns whether the token carries exp. Only where the app
// issues access tokens with a lifetime (JWT_ACCESS_TOKEN_EXPIRES is not
// set to False or None): the tokens it issues itself keep working.
func fixRequireExp(s *site) (*attempt, string) {
	mgr, st := jwtManager(s.file)
	if mgr == "" {
		return nil, "no jwt.decode call and no flask-jwt-extended JWTManager to require exp with"
	}
	src := string(s.src())
	if strings.Contains(src, "token_verification_loader") {
		return nil, "the module already has a token_verification_loader: its logic needs a person"
	}
	for _, c := range s.file.OfKind("assignment") {
		if configKey(c.ChildByField("left")) != "JWT_ACCESS_TOKEN_EXPIRES" {
			continue
		}
		if v := c.ChildByField("right"); v.Kind == "false" || v.Kind == "none" {
			return nil, "the app issues access tokens without exp (JWT_ACCESS_TOKEN_EXPIRES = " + v.Text() + "): requiring it would refuse them"
		}
	}
	code := "\n\n@" + mgr + ".token_verification_loader\ndef token_has_exp(jwt_header, jwt_payload):\n    return \"exp\" in jwt_payload\n"
	return &attempt{edits: []Edit{insertAfter(s.src(), st.End, code)},
		what: "tokens without exp are refused (a token_verification_loader, as flask-jwt-extended decodes without requiring it)"}, ""
}
