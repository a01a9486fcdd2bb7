package entropy

import (
	"math"
	"testing"
)

func TestAlphabet(t *testing.T) {
	cases := map[string]int{
		"0123456789":       10,
		"deadbeef01":       16,
		"abcxyz":           26,
		"abcXYZ09":         62,
		"abc-XYZ_09":       64,
		"":                 2,
		"9f86d081884c7d65": 16,
	}
	for v, want := range cases {
		if got := Alphabet(v); got != want {
			t.Errorf("Alphabet(%q) = %d, want %d", v, got, want)
		}
	}
	if got := Alphabet("abc", "XYZ"); got != 52 {
		t.Errorf("two values: %d, want 52", got)
	}
}

func TestBits(t *testing.T) {
	if got := Bits(32, "9f86d081884c7d659f86d081884c7d65"); got != 128 {
		t.Errorf("32 hex characters: %.1f bits, want 128", got)
	}
	if got, want := Bits(6, "123456"), 6*math.Log2(10); math.Abs(got-want) > 1e-9 {
		t.Errorf("6 digits: %.2f bits, want %.2f", got, want)
	}
}
