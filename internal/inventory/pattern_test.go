package inventory

import "testing"

func TestPatternLiteral(t *testing.T) {
	for in, want := range map[string]string{
		"^password$":                 "password",
		"password":                   "password",
		"^(password|refresh_token)$": "password",
		"^[a-z]+$":                   "",
		"\\d{4}":                     "",
		"":                           "",
	} {
		if got := patternLiteral(in); got != want {
			t.Errorf("patternLiteral(%q) = %q, want %q", in, got, want)
		}
	}
}
