package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// usesAuthlib reports whether the file imports authlib's JOSE module, whose
// jwt.decode takes no algorithms= and verifies no claims by itself.
func usesAuthlib(f *python.File) bool {
	for _, st := range f.OfKind("import_from_statement") {
		if strings.Contains(st.ChildByField("module_name").Text(), "authlib") {
			return true
		}
	}
	return false
}

// fixAuthlibDecode repairs an authlib decode on the cause line: the default
// jwt instance (every algorithm) becomes JsonWebToken([ALG]) with the
// algorithm the issuer signs with, and claims decoded into a name are
// validated (claims.validate(): exp, nbf, iat) right after.
func fixAuthlibDecode(s *site) (*attempt, string) {
	if !usesAuthlib(s.file) {
		return nil, ""
	}
	for _, call := range s.onLine("call") {
		fn := call.ChildByField("function")
		if fn == nil || fn.Kind != "attribute" || fn.ChildByField("attribute").Text() != "decode" {
			continue
		}
		obj := fn.ChildByField("object")
		// Only authlib's default instance, imported as jwt, accepts every
		// algorithm; a JsonWebToken(...) of the code's own is left alone.
		if obj.Kind == "identifier" && obj.Text() == "jwt" && !importsAuthlibJWT(s.file) {
			return nil, "jwt here is not authlib's default instance"
		}
		var edits []Edit
		var what []string
		if obj.Kind == "identifier" && obj.Text() == "jwt" && pinRule(s.f.Rule) {
			alg := s.p.issuer.alg(nil, keyID(decodeKey(call)))
			if alg == "" {
				return nil, "the algorithm the issuer signs with is not one known value; build JsonWebToken([...]) by hand"
			}
			edits = append(edits, Edit{Start: obj.Start, End: obj.End, New: "JsonWebToken([" + quote(alg) + "])"})
			if e, ok := importFromIfMissing(s.file, "authlib.jose", "JsonWebToken"); ok {
				edits = append(edits, e)
			}
			what = append(what, "decoded by JsonWebToken(["+quote(alg)+"])")
		}
		if s.f.Rule == "py.authlib-claims-not-validated" || s.f.Rule == "jwt.expired-accepted" {
			as := call.Parent
			if as == nil || as.Kind != "assignment" || as.ChildByField("left").Kind != "identifier" || as.Parent.Kind != "expression_statement" {
				return nil, "the decoded claims are not assigned to a name to validate"
			}
			stmt := as.Parent
			edits = append(edits, insertAfter(s.src(), stmt.End, indentOf(s.src(), stmt.Start)+as.ChildByField("left").Text()+".validate()\n"))
			what = append(what, "claims validated (exp, nbf, iat)")
		}
		if len(edits) == 0 {
			return nil, ""
		}
		return &attempt{edits: edits, what: strings.Join(what, "; ")}, ""
	}
	return nil, "no authlib decode call on " + s.f.Location.String()
}

// pinRule reports whether a rule's fix pins the algorithm.
func pinRule(rule string) bool {
	g, ok := decodeGoals[rule]
	return ok && g.pin
}

// importFromIfMissing adds `from MODULE import NAME` with the file's other
// imports when NAME is not imported from MODULE yet.
func importFromIfMissing(f *python.File, module, name string) (Edit, bool) {
	for _, st := range f.OfKind("import_from_statement") {
		if st.ChildByField("module_name").Text() != module {
			continue
		}
		for _, c := range st.NamedChildren() {
			if c.Field() == "name" && c.Text() == name {
				return Edit{}, false
			}
		}
	}
	at := importPos(f)
	return Edit{Start: at, End: at, New: "from " + module + " import " + name + "\n"}, true
}

// importsAuthlibJWT reports whether the file does `from authlib.jose import jwt`.
func importsAuthlibJWT(f *python.File) bool {
	for _, st := range f.OfKind("import_from_statement") {
		if !strings.HasPrefix(st.ChildByField("module_name").Text(), "authlib") {
			continue
		}
		for _, c := range st.NamedChildren() {
			if c.Field() == "name" && c.Text() == "jwt" {
				return true
			}
		}
	}
	return false
}
