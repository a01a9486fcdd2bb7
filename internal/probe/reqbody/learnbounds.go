package reqbody

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// A validation message that states a bound the value missed: pydantic v1
// ("ensure this value is greater than 1", "ensure this value has at least
// 3 characters", "... at least 1 items"), pydantic v2 ("Input should be
// greater than or equal to 18", "List should have at least 1 item after
// validation"), marshmallow ("Must be greater than or equal to 18.",
// "Shorter than minimum length 3.").
var (
	// A number, not the year of a date or a time ("greater than
	// 2020-01-01" bounds no number).
	atLeastNumber = regexp.MustCompile(`(?i)\bgreater than (or equal to )?(-?\d+(?:\.\d+)?)(?:$|[^\w/:-])`)
	atLeastLength = regexp.MustCompile(`(?i)\b(?:at least (\d+) (?:characters?|chars?|items?|elements?|entries)|minimum length (?:of |is )?(\d+))\b`)
)

// bound is what a message asks of a value: a least number, or a least
// length (of a string or a list).
type bound struct {
	limit    float64
	strict   bool // greater than, not or equal to
	isLength bool
}

// least is the least integer the bound admits.
func (b bound) least() int64 {
	if b.strict {
		return int64(math.Floor(b.limit)) + 1
	}
	return int64(math.Ceil(b.limit))
}

// admits: n meets the bound.
func (b bound) admits(n float64) bool {
	return n > b.limit || (!b.strict && n == b.limit)
}

// boundOf reads the bound a message states; false when it states none.
func boundOf(msg string) (bound, bool) {
	if m := atLeastLength.FindStringSubmatch(msg); m != nil {
		n, err := strconv.Atoi(m[1] + m[2])
		if err == nil && n > 0 && n <= 256 {
			return bound{limit: float64(n), isLength: true}, true
		}
	}
	if m := atLeastNumber.FindStringSubmatch(msg); m != nil {
		n, err := strconv.ParseFloat(m[2], 64)
		if err != nil || math.Abs(n) >= 1e15 {
			return bound{}, false
		}
		return bound{limit: n, strict: m[1] == ""}, true
	}
	return bound{}, false
}

// meet bends v to the bound: a number raised to the least, a string
// padded, a list grown by repeating its first item; false when v already
// meets it or is of no kind the bound speaks of.
func (b bound) meet(v any) (any, bool) {
	if b.isLength {
		n := int(b.limit)
		switch t := v.(type) {
		case string:
			if len(t) < n {
				return t + strings.Repeat("x", n-len(t)), true
			}
		case []any:
			if len(t) < n {
				item := any("authprobe")
				if len(t) > 0 {
					item = t[0]
				}
				out := append([]any{}, t...)
				for len(out) < n {
					out = append(out, item)
				}
				return out, true
			}
		}
		return v, false
	}
	switch t := v.(type) {
	case int:
		if !b.admits(float64(t)) {
			return b.least(), true
		}
	case int64:
		if !b.admits(float64(t)) {
			return b.least(), true
		}
	case float64:
		if !b.admits(t) {
			return float64(b.least()), true
		}
	case string, nil:
		// A number asked for where a word was invented.
		return b.least(), true
	}
	return v, false
}
