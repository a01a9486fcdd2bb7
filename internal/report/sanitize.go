package report

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/authprobe/authprobe/internal/finding"
)

// oneLine makes a string from the target safe to print on one terminal or
// Markdown line: control characters (escape sequences that could rewrite the
// screen), line breaks and bidirectional overrides (which can make text read
// differently from what it is) are shown escaped, never interpreted.
func oneLine(s string) string {
	if !needsCleaning(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeRune(r) {
			b.WriteString(escapeRune(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// block is oneLine for multi-line text: line breaks are kept and every
// following line is indented by indent.
func block(s, indent string) string {
	s = strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = oneLine(l)
	}
	return strings.Join(lines, "\n"+indent)
}

func needsCleaning(s string) bool {
	for _, r := range s {
		if unsafeRune(r) {
			return true
		}
	}
	return false
}

func unsafeRune(r rune) bool {
	if r == '\t' {
		return false
	}
	if unicode.IsControl(r) || r == unicode.ReplacementChar {
		return true
	}
	switch {
	case r == '\u2028', r == '\u2029': // line and paragraph separators
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069': // bidi
		return true
	case r == '\u200e', r == '\u200f', r == '\u061c': // direction marks
		return true
	}
	return false
}

func escapeRune(r rune) string {
	switch r {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case unicode.ReplacementChar:
		return `\ufffd`
	}
	if r < 0x100 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// cleanFinding returns a copy of f whose text fields went through block, for
// writers (HTML) that show them verbatim; f and its evidence are untouched.
func cleanFinding(f finding.Finding) finding.Finding {
	c := f
	for _, p := range []*string{&c.Rule, &c.Title, &c.Message, &c.Remediation, &c.Identity, &c.Source, &c.Suppressed} {
		*p = block(*p, "")
	}
	if f.Evidence != nil {
		e := *f.Evidence
		for _, p := range []*string{&e.Curl, &e.Request, &e.Proof, &e.Control, &e.Token} {
			*p = block(*p, "")
		}
		c.Evidence = &e
	}
	if f.Endpoint != nil {
		ep := finding.Endpoint{Method: oneLine(f.Endpoint.Method), Path: oneLine(f.Endpoint.Path)}
		c.Endpoint = &ep
	}
	if f.Location != nil {
		l := *f.Location
		l.File, l.Snippet = oneLine(l.File), oneLine(l.Snippet)
		c.Location = &l
	}
	c.Related = nil
	for _, l := range f.Related {
		l.File, l.Snippet = oneLine(l.File), oneLine(l.Snippet)
		c.Related = append(c.Related, l)
	}
	c.Flow = nil
	for _, st := range f.Flow {
		st.File, st.Snippet, st.Note = oneLine(st.File), oneLine(st.Snippet), oneLine(st.Note)
		c.Flow = append(c.Flow, st)
	}
	return c
}
