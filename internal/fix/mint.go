package fix

import "strings"

// fixPredictableToken mints the credential from the system's secure
// random source: `token = hashlib.md5(str(counter).encode()).hexdigest()`
// (or a uuid1, random, time-based value) becomes
// `token = secrets.token_urlsafe(32)`. The scan proved the value is used
// as a credential and guessable; a credential is an opaque random string.
func fixPredictableToken(s *site) (*attempt, string) {
	for _, as := range s.onLine("assignment") {
		if as.Line != s.line || as.ChildByField("left").Kind != "identifier" {
			continue
		}
		right := as.ChildByField("right")
		t := right.Text()
		guessable := false
		for _, src := range []string{"hashlib.", "uuid.uuid1", "uuid1(", "random.", "time.time", "datetime."} {
			if strings.Contains(t, src) {
				guessable = true
			}
		}
		if !guessable || strings.Contains(t, "secrets.") {
			return nil, "the minted value is not built from a hash, uuid1, random or the clock on " + s.f.Location.String()
		}
		edits := []Edit{{Start: right.Start, End: right.End, New: "secrets.token_urlsafe(32)"}}
		if e, ok := importIfMissing(s.file, "secrets"); ok {
			edits = append(edits, e)
		}
		return &attempt{edits: edits, what: as.ChildByField("left").Text() + " minted with secrets.token_urlsafe(32)"}, ""
	}
	return nil, "no assignment minting the credential on " + s.f.Location.String()
}

// fixReusableResetToken spends a reset token once: the handler reads it
// with `user = STORE.get(KEY)`; right before its final (success) return,
// `STORE.pop(KEY, None)` removes it, so a second reset with it is refused
// as an unknown token.
func fixReusableResetToken(s *site) (*attempt, string) {
	for _, as := range s.onLine("assignment") {
		right := as.ChildByField("right")
		if as.Line != s.line || right == nil || right.Kind != "call" {
			continue
		}
		f := right.ChildByField("function")
		a := positional(right)
		if f == nil || f.Kind != "attribute" || f.ChildByField("attribute").Text() != "get" || len(a) != 1 || f.ChildByField("object").DottedName() == "" {
			return nil, "the reset token is not looked up with STORE.get(token)"
		}
		fn := as.Ancestor("function_definition")
		if fn == nil {
			return nil, "the lookup is not in a function"
		}
		sts := fn.ChildByField("body").NamedChildren()
		last := sts[len(sts)-1]
		if last.Kind != "return_statement" || last.Start < as.End {
			return nil, "the handler does not end with its success answer (a return) after the lookup"
		}
		at := lineStart(s.src(), last.Start)
		store := f.ChildByField("object").DottedName()
		return &attempt{edits: []Edit{{Start: at, End: at, New: indentOf(s.src(), last.Start) + store + ".pop(" + a[0].Text() + ", None)\n"}},
			what: "the reset token is removed from " + store + " once used"}, ""
	}
	return nil, "no STORE.get(token) lookup on " + s.f.Location.String()
}
