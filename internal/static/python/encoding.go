package python

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"
)

// codingRE is PEP 263's encoding declaration.
var codingRE = regexp.MustCompile(`^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`)

// Decode returns src as UTF-8 for the parser: a file that declares a
// Latin-1 encoding on its first or second line (PEP 263) is converted;
// anything else is taken as UTF-8, as Python 3 does. Line numbers are kept.
func Decode(src []byte) []byte {
	enc := declared(src)
	switch strings.ToLower(strings.ReplaceAll(enc, "_", "-")) {
	case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "8859", "cp819", "l1", "iso-latin-1":
	default:
		return src
	}
	if utf8.Valid(src) && !bytes.ContainsFunc(src, func(r rune) bool { return r >= 0x80 }) {
		return src // plain ASCII: nothing to convert
	}
	out := make([]byte, 0, len(src)+len(src)/8)
	for _, b := range src {
		out = utf8.AppendRune(out, rune(b))
	}
	return out
}

// declared returns the encoding named on the first two lines, if any.
func declared(src []byte) string {
	for i := 0; i < 2 && len(src) > 0; i++ {
		line := src
		if j := bytes.IndexByte(src, '\n'); j >= 0 {
			line, src = src[:j], src[j+1:]
		} else {
			src = nil
		}
		if m := codingRE.FindSubmatch(line); m != nil {
			return string(m[1])
		}
	}
	return ""
}
