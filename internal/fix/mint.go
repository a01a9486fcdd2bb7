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
