package crack

import "strings"

// patternMasks are the brute-force spaces tried after the wordlists, cheapest
// first so that a short budget still covers the likeliest ones: PINs and
// numeric secrets up to 8 digits, lowercase words up to 6 letters. The
// first shortMasks of them are the short masks.
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

// shortMasks is how many of patternMasks ShortPatterns yields.
const shortMasks = 2

// Depth says how far a scan's offline recovery goes.
type Depth int

const (
	// Short tries the built-in list, the wordlists, the rules and the short
	// masks (digits up to 6, lowercase up to 4: 1.6 M candidates), then
	// stops: a fixed amount of work, the same on every machine.
	Short Depth = iota
	// Long also tries 7-8 digits and 5-6 lowercase letters (430 M more),
	// as far as the time budget allows.
	Long
)

// ParseDepth reads "short" or "long" (--crack-masks).
func ParseDepth(s string) (Depth, bool) {
	switch s {
	case "short", "":
		return Short, true
	case "long":
		return Long, true
	}
	return Short, false
}

// String is the flag spelling.
func (d Depth) String() string {
	if d == Long {
		return "long"
	}
	return "short"
}

// Patterns yields digit masks up to 8 and lowercase masks up to 6
// characters, cheapest spaces first: what a scan tries after its wordlist
// and rules (word + digits, years) within its crack budget.
func Patterns() Source { return patterns(len(patternMasks)) }

// ShortPatterns yields the short masks only: digits up to 6 and lowercase
// up to 4 characters.
func ShortPatterns() Source { return patterns(shortMasks) }

// PatternsTo yields the masks of depth d.
func PatternsTo(d Depth) Source {
	if d == Long {
		return Patterns()
	}
	return ShortPatterns()
}

func patterns(n int) Source {
	var srcs []Source
	for _, p := range patternMasks[:n] {
		src, err := Mask(strings.Repeat(p.class, p.max), MaskOptions{Increment: p.min < p.max, IncrementMin: p.min})
		if err != nil {
			panic("crack: built-in pattern " + p.class + ": " + err.Error()) // a constant; tested
		}
		srcs = append(srcs, src)
	}
	return Chain(srcs...)
}
