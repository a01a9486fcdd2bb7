package lifecycle

import (
	"testing"
	"time"
)

func ms(vs ...int) []time.Duration {
	out := make([]time.Duration, len(vs))
	for i, v := range vs {
		out[i] = time.Duration(v) * time.Millisecond
	}
	return out
}

func TestSlower(t *testing.T) {
	sep := slower(ms(40, 41, 39, 45, 42, 40, 43, 41, 44), ms(1, 2, 1, 3, 2, 1, 2, 1, 2))
	if sep >= timingAlpha {
		t.Errorf("fully separated samples: p=%g, want < %g", sep, timingAlpha)
	}
	mixed := slower(ms(40, 2, 39, 3, 42, 1, 43, 2, 44), ms(41, 2, 40, 3, 41, 1, 42, 2, 45))
	if mixed < 0.05 {
		t.Errorf("overlapping samples: p=%g, want no significance", mixed)
	}
	// The test is one-sided: the made-up account being slower proves nothing.
	if rev := slower(ms(1, 2, 1, 3, 2, 1, 2, 1, 2), ms(40, 41, 39, 45, 42, 40, 43, 41, 44)); rev < 0.5 {
		t.Errorf("reversed: p=%g", rev)
	}
	if ties := slower(ms(5, 5, 5, 5), ms(5, 5, 5, 5)); ties != 1 && ties < 0.4 {
		t.Errorf("all ties: p=%g", ties)
	}
	if median(ms(3, 1, 2)) != 2*time.Millisecond || median(ms(4, 1, 2, 3)) != 2500*time.Microsecond {
		t.Error("median")
	}
}

func TestGuessable(t *testing.T) {
	for tok, want := range map[string]bool{
		"042917": true, "12345678": true, "Ab3dE": true,
		"k3Q9sZ0vXw2mN8pL4rT6yU1hJ5gF7dS": false, "1234567890123456789012": false,
	} {
		if got := guessable(tok) != ""; got != want {
			t.Errorf("guessable(%q) = %v, want %v", tok, got, want)
		}
	}
	if !jwtNoExp("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXNzIn0.c2ln") {
		t.Error("JWT without exp not seen")
	}
	if jwtNoExp("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXNzIiwiZXhwIjoxfQ.c2ln") {
		t.Error("JWT with exp flagged")
	}
}

func TestNormaliseMasksNameAndVolatile(t *testing.T) {
	a := normalise([]byte(`{"msg":"wrong password for alice","id":"9f3a2b1c4d5e"}`), "alice")
	b := normalise([]byte(`{"msg":"wrong password for authprobe-nx-01","id":"0123abcd9999"}`), "authprobe-nx-01")
	if string(a) != string(b) {
		t.Errorf("echoed names or ids make answers differ: %s vs %s", a, b)
	}
	c := normalise([]byte(`{"msg":"no such user"}`), "authprobe-nx-01")
	if string(a) == string(c) {
		t.Error("different messages normalised alike")
	}
}
