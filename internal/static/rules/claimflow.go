package rules

import (
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// Sensitive claims by data flow. A claim is sensitive by what its value
// is, not by its name: a password hash (its format, or a field the
// project checks passwords against or fills with a hash), a server secret
// (a field filled with a generated value, a generated-looking literal), or
// the credential the client sent. A claim named like a secret whose value
// has none of these origins is a review item (the gate, gate.go).

// passwordHashShaped: the literal is a password hash by its format.
var passwordHashShaped = regexp.MustCompile(`^(pbkdf2:|scrypt:|\$2[abxy]\$|\$argon2|\$pbkdf2|\$scrypt|\$6\$|\$5\$|sha256\$|sha1\$)`)

// secretChecks are the calls whose arguments are a stored password hash or
// a signing key: a field handed to one holds a secret the token's holder
// must not learn. (A field compared with compare_digest may be the very
// token the holder was issued: microblog-api wraps its opaque access token
// in a JWT.)
var secretChecks = []string{"check_password_hash", "checkpw", "verify_password", "hmac.new"}

// passwordHashers make a password hash.
var passwordHashers = []string{"generate_password_hash", "hashpw", "make_password", "pbkdf2_hmac", "pwd_context.hash", "pwd_context.encrypt", "ph.hash"}

// passwordHashWrite is a write of a password hash into the field
// (obj.field = generate_password_hash(pw)), or nil.
func (ps *Pass) passwordHashWrite(field string) *python.Node {
	ps.fieldOrigin(field, 0) // fills ps.fieldWrites
	for _, w := range ps.fieldWrites[field] {
		if w = w.Unparen(); w.Kind != "call" {
			continue
		}
		d := w.ChildByField("function").DottedName()
		for _, h := range passwordHashers {
			if d == h || strings.HasSuffix(d, "."+h) {
				return w
			}
		}
	}
	return nil
}

// sensitiveOrigin returns the source step of a claim value that is a
// secret by its origin, or nil.
func (ps *Pass) sensitiveOrigin(v *python.Node, depth int) *finding.Step {
	v = v.Unparen()
	if v == nil || depth > 3 {
		return nil
	}
	if s := ps.Project.Eval(v); s.Kind == flask.Str {
		switch {
		case passwordHashShaped.MatchString(s.S):
			st := step(v, "source", "a password hash")
			return &st
		case ps.secretShaped(s.S):
			st := step(v, "source", "a generated-looking secret")
			return &st
		}
		return nil
	}
	if name, ok := credentialRead(ps.Project, v, 0); ok && secretWord(name) {
		st := step(v, "source", "the "+name+" the client sent")
		return &st
	}
	field := ""
	switch v.Kind {
	case "attribute":
		field = v.ChildByField("attribute").Text()
	case "subscript":
		field, _ = v.ChildByField("subscript").StringValue()
	case "identifier":
		if fn := v.Ancestor("function_definition"); fn != nil {
			if rhs := flask.LocalAssign(fn, v.Text(), v.Start); rhs != nil && !rhs.Contains(v) {
				return ps.sensitiveOrigin(rhs, depth+1)
			}
		}
	}
	if field == "" {
		return nil
	}
	if w := ps.passwordHashWrite(field); w != nil {
		st := step(w, "source", "the field "+field+", which the project fills with a password hash")
		return &st
	}
	if at := ps.checkedAsSecret(field); at != nil {
		st := step(at, "source", "the field "+field+", which "+at.ChildByField("function").Text()+" checks as a password or key")
		return &st
	}
	return nil
}

// checkedAsSecret is a call that takes the field (obj.field or
// obj["field"]) as the stored side of a password or key check, or nil.
func (ps *Pass) checkedAsSecret(field string) *python.Node {
	for _, c := range ps.Calls {
		d := c.Node.ChildByField("function").DottedName()
		hit := false
		for _, s := range secretChecks {
			hit = hit || d == s || strings.HasSuffix(d, "."+s)
		}
		if !hit {
			continue
		}
		for _, a := range c.Node.ChildByField("arguments").NamedChildren() {
			if fieldOf(a) == field {
				return c.Node
			}
		}
	}
	return nil
}

// fieldOf is the field an argument reads (x.pw, x["pw"], x["pw"] if x else
// DUMMY, x.pw.encode()), or "".
func fieldOf(a *python.Node) string {
	out := ""
	a.Unparen().Walk(func(x *python.Node) bool {
		if out != "" {
			return false
		}
		switch x.Kind {
		case "attribute":
			if at := x.ChildByField("attribute").Text(); at != "encode" && at != "decode" && x.Parent.Kind != "call" {
				out = at
			}
		case "subscript":
			out, _ = x.ChildByField("subscript").StringValue()
		}
		return true
	})
	return out
}

// reportClaim reports claim k of a token issued at call: medium with the
// value's origin, a review item when only a name says sensitive.
func (ps *Pass) reportClaim(call, at, val *python.Node, k, msg string) {
	var origin *finding.Step
	if val != nil && !isIdentifierValue(val) {
		origin = ps.sensitiveOrigin(val, 0)
	}
	if origin == nil && !claimSensitive(k, val) {
		return
	}
	var flow []finding.Step
	if origin != nil {
		flow = append(ps.requestHandling(call), *origin, step(call, "sink", "signed into the claims of a token that anyone holding it can read"))
	}
	ps.ReportFlow("py.jwt-sensitive-claims", at, finding.Firm, msg, flow, nil)
}
