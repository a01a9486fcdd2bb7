package ratelimit

import (
	"strings"

	"github.com/authprobe/authprobe/internal/entropy"
)

// randomBits estimates how many bits of randomness a key holds, for keys
// that look machine-made: hex, or a mix of letters and digits from a
// base64-like alphabet (uuid4, secrets.token_urlsafe, sk_live_... with a
// random tail). A key made of words ("secure-admin-token", "hunter2") is 0:
// a word list guesses it, however long it is.
func randomBits(key string) float64 {
	// A readable prefix (tb_acme_, sk_live_) adds nothing: only the parts
	// between separators that hold a digit count, and only when one of
	// them looks generated.
	var tail strings.Builder
	generated := false
	for _, part := range strings.FieldsFunc(key, func(r rune) bool { return r == '_' || r == '-' || r == '.' || r == ':' }) {
		if strings.ContainsAny(part, "0123456789") {
			tail.WriteString(part)
		}
		generated = generated || randomLooking(part)
	}
	t := tail.String()
	if !generated || t == "" {
		return 0
	}
	return entropy.Bits(len(t), t)
}

// randomLooking: a part of at least 8 characters that mixes digits with
// letters, as generated keys do and words do not.
func randomLooking(s string) bool {
	if len(s) < 8 {
		return false
	}
	letters, digits := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letters++
		default:
			return false
		}
	}
	return digits >= 2 && letters >= 2
}
