package inventory

import (
	"regexp"
	"strings"
)

var literalWord = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// patternLiteral is the word a pattern spells out: "^password$" or
// "password" (older FastAPI's OAuth2 form: grant_type must match it),
// the first of "^(password|refresh_token)$"; "" for any other pattern.
func patternLiteral(p string) string {
	p = strings.TrimSuffix(strings.TrimPrefix(p, "^"), "$")
	if strings.HasPrefix(p, "(") && strings.HasSuffix(p, ")") {
		p = strings.TrimPrefix(strings.TrimSuffix(p[1:], ")"), "?:")
	}
	first, _, _ := strings.Cut(p, "|")
	if !literalWord.MatchString(first) {
		return ""
	}
	return first
}
