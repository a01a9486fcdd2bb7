package report

import (
	"os"

	"github.com/authprobe/authprobe/internal/finding"
	"golang.org/x/term"
)

// ColorFor reports whether text written to f should be coloured: f is a
// terminal, NO_COLOR is unset or empty (https://no-color.org) and TERM is not
// "dumb".
func ColorFor(f *os.File) bool {
	if f == nil || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return term.IsTerminal(int(f.Fd()))
}

// painter wraps text in ANSI SGR sequences when enabled; otherwise it returns
// the text unchanged, so coloured and plain output differ only by escapes.
type painter bool

const (
	sgrBold    = "1"
	sgrDim     = "2"
	sgrRed     = "31"
	sgrGreen   = "32"
	sgrYellow  = "33"
	sgrBlue    = "34"
	sgrMagenta = "35"
	sgrCyan    = "36"
)

func (p painter) paint(s string, codes ...string) string {
	if !p || s == "" || len(codes) == 0 {
		return s
	}
	seq := "\x1b["
	for i, c := range codes {
		if i > 0 {
			seq += ";"
		}
		seq += c
	}
	return seq + "m" + s + "\x1b[0m"
}

func (p painter) severity(s finding.Severity, text string) string {
	switch s {
	case finding.Critical:
		return p.paint(text, sgrBold, sgrMagenta)
	case finding.High:
		return p.paint(text, sgrBold, sgrRed)
	case finding.Medium:
		return p.paint(text, sgrYellow)
	case finding.Low:
		return p.paint(text, sgrBlue)
	}
	return p.paint(text, sgrDim)
}

func (p painter) verdict(v, text string) string {
	switch v {
	case "accepted":
		return p.paint(text, sgrGreen)
	case "rejected":
		return p.paint(text, sgrDim)
	case "inconclusive":
		return p.paint(text, sgrYellow)
	}
	return text
}

func (p painter) grade(g, text string) string {
	switch g {
	case "A", "B":
		return p.paint(text, sgrBold, sgrGreen)
	case "C", "D":
		return p.paint(text, sgrBold, sgrYellow)
	}
	return p.paint(text, sgrBold, sgrRed)
}

func (p painter) heading(text string) string { return p.paint(text, sgrBold) }
func (p painter) dim(text string) string     { return p.paint(text, sgrDim) }
func (p painter) accent(text string) string  { return p.paint(text, sgrCyan) }
