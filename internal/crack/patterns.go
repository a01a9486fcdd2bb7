package crack

import "strings"

// patternMasks are the brute-force spaces tried after the wordlists, cheapest
// first so that a short budget still covers the likeliest ones: PINs and
// numeric secrets up to 8 digits, lowercase words up to 6 letters.
var patternMasks = []struct {
	class    string
	min, max int
}{
	{"?d", 1, 6}, // 1.1 M
	{"?l", 1, 4}, // 0.5 M
	{"?d", 7, 7}, // 10 M
	{"?l", 5, 5}, // 12 M
	{"?d", 8, 8}, // 100 M
	{"?l", 6, 6}, // 309 M
}

// Patterns yields digit masks up to 8 and lowercase masks up to 6
// characters, cheapest spaces first: what a scan tries after its wordlist
// and rules (word + digits, years) within its crack budget.
func Patterns() Source {
	var srcs []Source
	for _, p := range patternMasks {
		src, err := Mask(strings.Repeat(p.class, p.max), MaskOptions{Increment: p.min < p.max, IncrementMin: p.min})
		if err != nil {
			panic("crack: built-in pattern " + p.class + ": " + err.Error()) // a constant; tested
		}
		srcs = append(srcs, src)
	}
	return Chain(srcs...)
}
