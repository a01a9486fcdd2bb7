package httpx

import (
	"encoding/base64"
	"net/url"
	"strings"
)

// Derivations lists the values a secret can show up as in output: itself,
// URL-encoded, and the stable cores of its base64 wrappings at each of the
// three byte alignments; for a JWT also its signature. Prefixes and case
// are handled when matching.
func Derivations(s string) []string {
	out := []string{s}
	if sig, ok := jwtSignature(s); ok && len(sig) >= 4 {
		out = append(out, sig)
	}
	for _, esc := range []string{url.QueryEscape(s), url.PathEscape(s)} {
		if esc != s {
			out = append(out, esc)
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		out = append(out, wrapped(enc, s)...)
	}
	return out
}

// wrapped returns, for each alignment of s inside a longer base64-encoded
// string, the characters that are fixed by s alone.
func wrapped(enc *base64.Encoding, s string) []string {
	var out []string
	for pad := 0; pad < 3; pad++ {
		full := enc.EncodeToString([]byte(strings.Repeat("\x00", pad) + s))
		// Characters touching the pad bytes depend on what precedes s.
		skip := (pad*8 + 5) / 6
		if pad == 0 {
			skip = 0
		}
		// The last characters depend on what follows s.
		end := (pad + len(s)) * 8 / 6
		if end > len(full) || skip >= end {
			continue
		}
		core := strings.TrimRight(full[skip:end], "=")
		if len(core) >= MinPrefix {
			out = append(out, core)
		}
	}
	return out
}

func jwtSignature(s string) (string, bool) {
	if !strings.HasPrefix(s, "eyJ") || strings.Count(s, ".") != 2 {
		return "", false
	}
	return s[strings.LastIndexByte(s, '.')+1:], true
}

// Mask shortens one credential to a recognisable, useless prefix.
func Mask(s string) string {
	if len(s) <= 8 {
		return "[redacted]"
	}
	return s[:6] + "…[redacted]"
}
