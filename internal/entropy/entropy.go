// Package entropy bounds how much randomness a value can carry, from its
// length and the alphabet it is drawn from. The checks that judge whether
// tokens or keys can be guessed share it.
package entropy

import "math"

// Alphabet estimates the character set values are drawn from: 16 for
// lower-case hex, else the sum of the classes seen (digits 10, lower 26,
// upper 26, anything else 2), at least 2.
func Alphabet(values ...string) int {
	var digit, lower, upper, other bool
	hexOnly := true
	for _, v := range values {
		for _, r := range v {
			switch {
			case r >= '0' && r <= '9':
				digit = true
			case r >= 'a' && r <= 'f':
				lower = true
			case r >= 'a' && r <= 'z':
				lower, hexOnly = true, false
			case r >= 'A' && r <= 'Z':
				upper, hexOnly = true, false
			default:
				other, hexOnly = true, false
			}
		}
	}
	n := 0
	if hexOnly && lower {
		n = 16
	} else {
		for _, c := range []struct {
			on bool
			n  int
		}{{digit, 10}, {lower, 26}, {upper, 26}, {other, 2}} {
			if c.on {
				n += c.n
			}
		}
	}
	return max(n, 2)
}

// Bits bounds what one value of length n drawn from the values' alphabet
// carries: n × log2(alphabet).
func Bits(n int, values ...string) float64 {
	return float64(n) * math.Log2(float64(Alphabet(values...)))
}
