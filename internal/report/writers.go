package report

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
)

// Options are what writers need beyond the result; the clock and version are
// already in the Result so output stays deterministic.
type Options struct {
	// Color enables ANSI colour in the text writer.
	Color bool
}

// Writer renders a result in one format.
type Writer func(w io.Writer, r *Result, opt Options) error

// writers maps a format name (and file extension) to its writer.
func writers() map[string]Writer {
	return map[string]Writer{
		"json": func(w io.Writer, r *Result, _ Options) error { return WriteJSON(w, r) },
		"txt":  WriteText,
	}
}

// Formats lists the known format names.
func Formats() []string {
	var out []string
	for k := range writers() {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ForFormat returns the writer of a format name ("json", "txt", ...).
func ForFormat(name string) (Writer, error) {
	w, ok := writers()[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (known: %s)", name, strings.Join(Formats(), ", "))
	}
	return w, nil
}

// ForPath returns the writer chosen by a file's extension; an unknown
// extension is an error, never a silent fallback.
func ForPath(path string) (Writer, error) {
	ext := strings.TrimPrefix(filepath.Ext(path), ".")
	if ext == "" {
		return nil, fmt.Errorf("output %q has no extension (known: %s)", path, strings.Join(Formats(), ", "))
	}
	return ForFormat(ext)
}
