package ratelimit

import (
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/entropy"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// randomBits estimates how many bits of randomness a key holds, for keys
// that look machine-made: hex, or a mix of letters and digits from a
// base64-like alphabet (uuid4, secrets.token_urlsafe, sk_live_... with a
// random tail). A key made of words ("secure-admin-token", "hunter2") is 0:
// a word list guesses it, however long it is.
//
// The estimate depends on the key's shape, never on the luck of one draw:
// a token the API mints afresh on every login (secrets.token_urlsafe) gets
// the same verdict whichever of its random characters happen to be
// separators or digits, so one scan and the next agree on the severity.
func randomBits(key string) float64 {
	parts := strings.FieldsFunc(key, func(r rune) bool { return r == '_' || r == '-' || r == '.' || r == ':' })
	// A readable prefix (tb_acme_, sk_live_) adds nothing: leading parts
	// of at most 8 letters that are not hex digits are dropped.
	i := 0
	for i < len(parts)-1 && readablePrefix(parts[i]) {
		i++
	}
	tail := strings.Join(parts[i:], "")
	// Separators end a run of letters: the class test reads them.
	if len(tail) < 16 || !mixedClasses(strings.Join(parts[i:], "-")) {
		return 0
	}
	return entropy.Bits(len(tail), tail)
}

// readablePrefix: a short part of letters of one case only, at least one
// outside a-f (tb, acme, sk, live; the first group of a uuid, "deadbeef",
// and a random part mixing cases are the key).
func readablePrefix(s string) bool {
	if len(s) > 8 {
		return false
	}
	hex, lower, upper := true, false, false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		default:
			return false
		}
		hex = hex && (r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F')
	}
	return !hex && lower != upper
}

// keyBits is the randomness of a slot's keys, judged on every value the
// identities hold there (a token minted at each login differs from one
// identity to the next): the most random one speaks for the API's keys, so
// one unlucky draw does not lower the estimate.
func keyBits(values ...string) float64 {
	best := 0.0
	for _, v := range values {
		best = max(best, randomBits(v))
	}
	return best
}

// mixedClasses: the key looks drawn at random from a mixed alphabet. Hex
// with both digits and letters does; otherwise the same-case letter runs
// must be short on average (under 3 characters: random base64 averages
// under 2), as words, even camel-cased or with a year appended, are not.
func mixedClasses(s string) bool {
	hex, digits, letters := true, 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F':
			letters++
		case r >= 'g' && r <= 'z' || r >= 'G' && r <= 'Z':
			letters++
			hex = false
		default:
			hex = false
		}
	}
	if hex {
		return digits > 0 && letters > 0
	}
	worst := 0.0
	for _, lower := range []bool{true, false} {
		runs, chars, in := 0, 0, false
		for _, r := range s {
			same := lower && r >= 'a' && r <= 'z' || !lower && r >= 'A' && r <= 'Z'
			if same {
				chars++
				if !in {
					runs++
				}
			}
			in = same
		}
		if runs > 0 {
			worst = max(worst, float64(chars)/float64(runs))
		}
	}
	return letters >= 4 && worst < 3
}

// slotValues are the values the identities hold in sl's place (sl's own
// included): configured ones, and those the matrix's cells were sent with
// (a token each login minted).
func slotValues(p *probe.Pass, sl slots.Slot) []string {
	out := []string{sl.Value}
	add := func(c identity.Creds) {
		for _, o := range slots.Of(c, p.Inventory()) {
			if o.In == sl.In && o.Name == sl.Name && !slices.Contains(out, o.Value) {
				out = append(out, o.Value)
			}
		}
	}
	for _, id := range p.Identities() {
		add(id.Base)
	}
	for _, ep := range p.Endpoints() {
		for _, c := range p.Matrix(ep) {
			if c.Variant == slots.CellIdentity {
				add(c.Creds)
			}
		}
		if len(out) > len(p.Identities()) {
			break
		}
	}
	return out
}
