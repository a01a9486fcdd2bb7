package rules

// authlib's default jwt instance lists every JWS algorithm, but the key
// it is given decides which of them can verify: a JWK set holds typed
// public keys (authlib never verifies "none", and an RSA or EC key
// cannot act as an HMAC secret), and an HMAC secret made of bytes the
// app derives (a digest, random bytes) can only verify HS*, which are
// equally strong for it. The key is followed to its origin through
// locals, project helpers' returns and fields the project writes.

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// keyFamily is "set" for a JWK set, "secret" for derived HMAC bytes, ""
// when the key's origin does not fix the family (a PEM text or an
// environment value may be a public key usable as an HMAC secret).
func (ps *Pass) keyFamily(n *python.Node, depth int) string {
	n = n.Unparen()
	if n == nil || depth > 4 {
		return ""
	}
	switch n.Kind {
	case "call":
		fn := n.ChildByField("function")
		d := fn.DottedName()
		switch {
		case strings.HasSuffix(d, "import_key_set") || strings.HasSuffix(d, "KeySet"):
			return "set"
		case fn.Kind == "attribute" && (fn.ChildByField("attribute").Text() == "digest" || fn.ChildByField("attribute").Text() == "hexdigest"),
			d == "os.urandom" ||
				strings.HasPrefix(d, "secrets.token_"):
			return "secret"
		}
		def := calleeDef(ps.Project, ps.Project.ModuleOf(n), n)
		if def == nil || n.Ancestor("function_definition") == def {
			return ""
		}
		return ps.agreeingReturns(def, depth)
	case "identifier":
		fn := n.Ancestor("function_definition")
		if fn == nil {
			return ""
		}
		if rhs := flask.LocalAssign(fn, n.Text(), n.Start); rhs != nil && !rhs.Contains(n) {
			return ps.keyFamily(rhs, depth+1)
		}
	case "attribute":
		if ps.fieldWrites == nil {
			ps.collectFieldWrites()
		}
		fam := ""
		for _, w := range ps.fieldWrites[n.ChildByField("attribute").Text()] {
			if w.Kind == "none" {
				continue
			}
			f := ps.keyFamily(w, depth+1)
			if f == "" || fam != "" && f != fam {
				return ""
			}
			fam = f
		}
		return fam
	}
	return ""
}

// agreeingReturns is the family every value a project function returns
// agrees on ("" when one does not fix it).
func (ps *Pass) agreeingReturns(def *python.Node, depth int) string {
	fam, ok := "", true
	def.ChildByField("body").Walk(func(r *python.Node) bool {
		if r.Kind == "function_definition" || !ok {
			return false
		}
		if r.Kind == "return_statement" {
			v := r.NamedChildren()
			if len(v) == 0 {
				ok = false
				return false
			}
			f := ps.keyFamily(v[0], depth+1)
			if f == "" || fam != "" && f != fam {
				ok = false
			}
			fam = f
		}
		return true
	})
	if !ok {
		return ""
	}
	return fam
}
