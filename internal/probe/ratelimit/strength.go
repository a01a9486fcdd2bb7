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
// with both digits and letters does; otherwise its letters must not read as
// words: the word-shaped runs (a capital and the lower-case letters after
// it, or letters of one case) must be short on average, under 3.5 letters.
//
// The runs of both cases are pooled, and a capital opens the word it
// starts: camel-cased words ("MySuperSecret": 2, 5, 6) and words between
// separators ("my_api_key_for_staging": 3.6) read long, while a random
// base64 key averages about 2: a 43-character token_urlsafe key is judged
// weak about 6 times in 10,000 draws, three identities' keys all at once
// about once in 4 billion. (The earlier statistic, the worse of the two
// cases' own run averages under 3, averaged the upper case over its few
// runs alone: it failed one random key in 110, three at once about once
// in a million, and read "Prod-Api-Key-Alpha-Beta-42" as random.)
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
	runs, chars := wordRuns(s)
	return letters >= 4 && runs > 0 && float64(chars) < 3.5*float64(runs)
}

// wordRuns counts the word-shaped runs of s and the letters in them: a
// capital followed by lower-case letters ("Secret"), lower-case letters, or
// capitals (ending before a capital that starts a word: "APIKey" is "API",
// "Key").
func wordRuns(s string) (runs, chars int) {
	lower := func(i int) bool { return i < len(s) && s[i] >= 'a' && s[i] <= 'z' }
	upper := func(i int) bool { return i < len(s) && s[i] >= 'A' && s[i] <= 'Z' }
	for i := 0; i < len(s); {
		j := i
		switch {
		case upper(i) && lower(i+1):
			for j = i + 1; lower(j); j++ {
			}
		case upper(i):
			for j = i + 1; upper(j) && !lower(j+1); j++ {
			}
		case lower(i):
			for j = i + 1; lower(j); j++ {
			}
		default:
			i++
			continue
		}
		runs++
		chars += j - i
		i = j
	}
	return runs, chars
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
