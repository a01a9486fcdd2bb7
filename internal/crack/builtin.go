package crack

import (
	"bytes"
	_ "embed" // the built-in list
	"io"
	"strings"
)

//go:embed builtin.txt
var builtinText string

// builtinExtra are secrets a text line cannot hold: the empty key (a real bug:
// signing with an unset secret) and the byte string of Flask's docs example.
var builtinExtra = []string{"", "_5#y2L\"F4Q8z\n\xec]/"}

// builtinWords returns the built-in candidates in order.
func builtinWords() []string {
	words := append([]string(nil), builtinExtra...)
	for _, line := range strings.Split(builtinText, "\n") {
		if line == "" || strings.HasPrefix(line, "# ") {
			continue
		}
		words = append(words, line)
	}
	return words
}

// Builtin yields the built-in list of well-known default, documentation and
// tutorial secrets (a few hundred).
func Builtin() Source { return &listSource{words: builtinWords()} }

// IsBuiltin reports whether secret is on the built-in list, i.e. a publicly
// known default rather than merely a weak secret.
func IsBuiltin(secret []byte) bool {
	for _, w := range builtinWords() {
		if bytes.Equal([]byte(w), secret) {
			return true
		}
	}
	return false
}

// listSource yields a fixed list of words.
type listSource struct {
	words []string
	next  int
}

func (l *listSource) Size() int64 { return int64(len(l.words)) }

func (l *listSource) Next(b *Batch) error {
	if l.next >= len(l.words) {
		return io.EOF
	}
	for l.next < len(l.words) && !b.Full() {
		b.Add([]byte(l.words[l.next]))
		l.next++
	}
	return nil
}
