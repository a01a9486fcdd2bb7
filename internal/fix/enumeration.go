package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixLoginEnumeration makes a login answer an unknown account as it
// answers a wrong password, after the same password check: of
//
//	if u is None:                       return A
//	if not check_password_hash(u[..], pw): return B
//
// the first branch goes and the second becomes `if not
// check_password_hash(u[..] if u is not None else _DUMMY_PASSWORD_HASH,
// pw) or u is None: return B`, the dummy hashed once with the method the
// module's own generate_password_hash calls use (so both take as long).
func fixLoginEnumeration(s *site) (*attempt, string) {
	def := s.routeDef()
	if def == nil {
		def = s.viewAt()
	}
	if def == nil {
		return nil, "no route function at " + s.f.Location.String()
	}
	sts := def.ChildByField("definition").ChildByField("body").NamedChildren()
	for i := 0; i+1 < len(sts); i++ {
		first, second := sts[i], sts[i+1]
		if first.Kind != "if_statement" || second.Kind != "if_statement" || first.ChildByField("alternative") != nil || second.ChildByField("alternative") != nil {
			continue
		}
		cond := strings.Join(strings.Fields(first.ChildByField("condition").Text()), " ")
		c2 := second.ChildByField("condition")
		if c2.Kind != "not_operator" || c2.ChildByField("argument").Kind != "call" {
			continue
		}
		check := c2.ChildByField("argument")
		if name, store, ok := strings.Cut(cond, " not in "); ok && isIdent(name) {
			// if name not in STORE: A / if not check(STORE[name], pw): B
			if a := positional(check); len(a) == 2 && a[0].Text() == store+"["+name+"]" {
				return s.dummyCheck(def, first, second, check, store)
			}
			continue
		}
		name, ok := strings.CutSuffix(cond, " is None")
		if !ok || !isIdent(name) {
			continue
		}
		if strings.HasSuffix(callName(check), "compare_digest") {
			// The stored value is compared as it is, no hash: an unknown
			// account costs no less, only its answer differs.
			return answerAsWrongPassword(first, second, check, name)
		}
		if callName(check) != "check_password_hash" {
			return nil, "the password check is not werkzeug's check_password_hash: a dummy hash of the same cost needs a person"
		}
		a := positional(check)
		if len(a) != 2 || !strings.HasPrefix(a[0].Text(), name+"[") && !strings.HasPrefix(a[0].Text(), name+".") {
			continue
		}
		src := s.src()
		body1 := first.ChildByField("consequence").NamedChildren()
		body2 := second.ChildByField("consequence").NamedChildren()
		ret1, ret2 := body1[len(body1)-1], body2[len(body2)-1]
		if ret1.Kind != "return_statement" || ret2.Kind != "return_statement" {
			return nil, "the login's refusals do not end with a return"
		}
		if len(body1) > 1 {
			// The unknown-account branch does more (a dummy hash check,
			// counting the failure): only its answer changes.
			if !strings.Contains(first.Text(), "check_password_hash(") {
				return nil, "the unknown-account branch does more than answer and checks no hash: merging it needs a person"
			}
			return &attempt{edits: []Edit{{Start: ret1.Start, End: ret1.End, New: ret2.Text()}},
				what: "an unknown account is answered as a wrong password"}, ""
		}
		method := hashMethod(s.file)
		if method == "?" {
			return nil, "the module's generate_password_hash calls use different methods: which cost the dummy hash needs is unclear"
		}
		newCheck := "check_password_hash(" + a[0].Text() + " if " + name + " is not None else _DUMMY_PASSWORD_HASH, " + a[1].Text() + ")"
		edits := []Edit{
			{Start: lineStart(src, first.Start), End: lineEnd(src, first.End-1)},
			{Start: c2.Start, End: c2.End, New: "not " + newCheck + " or " + name + " is None"},
		}
		// Above the login (its method's name, if any, is defined by then).
		at := helperAbove(src, def.ChildByField("definition"))
		dummy := "# Hashed once: an unknown account costs a login the same hash check as a known one.\n" +
			"_DUMMY_PASSWORD_HASH = generate_password_hash(secrets.token_urlsafe(16)" + method + ")\n\n\n"
		edits = append(edits, Edit{Start: at, End: at, New: dummy})
		if e, ok := importIfMissing(s.file, "secrets"); ok {
			edits = append(edits, e)
		}
		if !importsName(s.file, "werkzeug.security", "generate_password_hash") && !strings.Contains(string(src), "generate_password_hash(") {
			return nil, "the module does not import generate_password_hash to make the dummy hash with"
		}
		return &attempt{edits: edits, what: "an unknown account is answered as a wrong password, after the same hash check"}, ""
	}
	return nil, "the login does not refuse an unknown account (if u is None: ...) right before its password check; how it answers needs a person"
}

// answerAsWrongPassword makes the unknown-account branch return what the
// wrong-password branch returns (its other statements, such as counting
// the failure, stay), when the password check compares the record's value
// in constant time without hashing it (nothing makes a known account
// slower).
func answerAsWrongPassword(first, second, check *python.Node, name string) (*attempt, string) {
	a := positional(check)
	if len(a) != 2 || !strings.HasPrefix(a[0].Text(), name+"[") && !strings.HasPrefix(a[0].Text(), name+".") {
		return nil, "the constant-time comparison does not read the looked-up account; how it answers needs a person"
	}
	body1 := first.ChildByField("consequence").NamedChildren()
	body2 := second.ChildByField("consequence").NamedChildren()
	ret1, ret2 := body1[len(body1)-1], body2[len(body2)-1]
	if ret1.Kind != "return_statement" || ret2.Kind != "return_statement" {
		return nil, "the login's refusals do not end with a return"
	}
	return &attempt{edits: []Edit{{Start: ret1.Start, End: ret1.End, New: ret2.Text()}},
		what: "an unknown account is answered as a wrong password (the password is compared in constant time, with no hash to equalise)"}, ""
}

// dummyCheck makes the unknown-account branch of a login cost what a
// wrong password costs and answer what it answers: before its return the
// same password check runs against a dummy stored value, made once at
// start-up by the function that makes the store's values
// (`_DUMMY_PASSWORD_HASH = make_hash(secrets.token_urlsafe(16))`), and
// the branch returns the wrong-password answer.
func (s *site) dummyCheck(def, first, second, check *python.Node, store string) (*attempt, string) {
	maker := s.storeMaker(store)
	if maker == "" {
		return nil, "the values of " + store + " are not all made by one function of the module: a dummy of the same cost needs a person"
	}
	src := s.src()
	body1 := first.ChildByField("consequence").NamedChildren()
	body2 := second.ChildByField("consequence").NamedChildren()
	ret1, ret2 := body1[len(body1)-1], body2[len(body2)-1]
	if ret1.Kind != "return_statement" || ret2.Kind != "return_statement" {
		return nil, "the login's refusals do not end with a return"
	}
	a := positional(check)
	line := callName(check) + "(_DUMMY_PASSWORD_HASH, " + a[1].Text() + ")  # the same cost as a known account's check\n" + indentOf(src, ret1.Start)
	edits := []Edit{{Start: ret1.Start, End: ret1.End, New: line + ret2.Text()}}
	at := helperAbove(src, def.ChildByField("definition"))
	edits = append(edits, Edit{Start: at, End: at, New: "# Made once: an unknown account costs a login the same password check as a known one.\n" +
		"_DUMMY_PASSWORD_HASH = " + maker + "(secrets.token_urlsafe(16))\n\n\n"})
	if e, ok := importIfMissing(s.file, "secrets"); ok {
		edits = append(edits, e)
	}
	return &attempt{edits: edits, what: "an unknown account is answered as a wrong password, after the same password check against a dummy made by " + maker}, ""
}

// storeMaker returns the module function every value stored into store
// comes from (`STORE = {"a": H(...)}`, `STORE[k] = H(...)`), or "".
func (s *site) storeMaker(store string) string {
	makers := map[string]bool{}
	add := func(v *python.Node) {
		if v != nil && v.Kind == "call" && v.ChildByField("function").Kind == "identifier" {
			makers[callName(v)] = true
		} else {
			makers["?"] = true
		}
	}
	for _, as := range s.file.OfKind("assignment") {
		left, right := as.ChildByField("left"), as.ChildByField("right")
		if left == nil || right == nil {
			continue
		}
		switch {
		case left.Text() == store && right.Kind == "dictionary":
			for _, pr := range right.NamedChildren() {
				if pr.Kind == "pair" {
					add(pr.ChildByField("value"))
				} else {
					add(nil)
				}
			}
		case left.Kind == "subscript" && left.ChildByField("value").Text() == store:
			add(right)
		}
	}
	m := one(makers)
	if m == "" || m == "?" || !definesName(s.file, m) {
		return ""
	}
	return m
}

// hashMethod returns `, method=...` as the module's generate_password_hash
// calls pass it ("" when none does, "?" when they disagree).
func hashMethod(f *python.File) string {
	seen := map[string]bool{}
	for _, c := range f.OfKind("call") {
		if callName(c) != "generate_password_hash" {
			continue
		}
		m := ""
		if kw := kwargNode(c, "method"); kw != nil {
			m = ", " + kw.Text()
		}
		seen[m] = true
	}
	if len(seen) > 1 {
		return "?"
	}
	for m := range seen {
		return m
	}
	return ""
}
