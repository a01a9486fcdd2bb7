package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
)

// Options are what writers need beyond the result; the clock and version are
// already in the Result so output stays deterministic.
type Options struct {
	// Color enables ANSI colour in the text writer.
	Color bool
	// FailOn is the --fail-on value ("low", "none", ...); JUnit marks the
	// findings at or above it as failures. Empty means the default, low.
	FailOn string
	// SourceURL, when set, turns source locations in Markdown and HTML into
	// links: SourceURL + "/" + file + "#L" + line (a repository blob URL).
	SourceURL string
	// Format is the format of an output that is a device or a pipe named
	// without extension (-o /dev/null, -o /dev/stdout); empty means json.
	Format string
	// SARIFAnchor is the repository file that SARIF results without a source
	// line point at (GitHub code scanning needs a file for every result);
	// empty means DefaultSARIFAnchor.
	SARIFAnchor string
	// describe returns a rule's long description; nil means the catalog.
	// Tests set it so golden files do not change with the catalog's text.
	describe func(rule string) string
}

// description is the long text of a rule, from the catalog unless a test
// injected another source.
func (o Options) description(rule string) string {
	if o.describe != nil {
		return o.describe(rule)
	}
	if e, ok := catalog.Lookup(rule); ok {
		return e.Description
	}
	return ""
}

// Writer renders a result in one format.
type Writer func(w io.Writer, r *Result, opt Options) error

// writers maps a format name (and file extension) to its writer.
func writers() map[string]Writer {
	return map[string]Writer{
		"json":  func(w io.Writer, r *Result, _ Options) error { return WriteJSON(w, r) },
		"txt":   WriteText,
		"sarif": WriteSARIF,
		"html":  WriteHTML,
		"md":    WriteMarkdown,
		"xml":   WriteJUnit,
	}
}

// canonical maps the other names --format accepts to a format name.
func canonical(name string) string {
	switch name = strings.ToLower(name); name {
	case "text":
		return "txt"
	case "markdown":
		return "md"
	case "junit":
		return "xml"
	}
	return name
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
	w, ok := writers()[canonical(name)]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (known: %s)", name, strings.Join(Formats(), ", "))
	}
	return w, nil
}

// ForOutput is ForPath, except that an output without an extension that is
// an existing device or pipe (/dev/null, /dev/stdout, a FIFO) takes format,
// json when format is empty.
func ForOutput(path, format string) (Writer, error) {
	if filepath.Ext(path) == "" && Device(path) {
		if format == "" {
			format = "json"
		}
		return ForFormat(format)
	}
	return ForPath(path)
}

// Device reports whether path is an existing file that is neither a
// regular file nor a directory: a device or a pipe, written in place and
// never replaced.
func Device(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.Mode().IsRegular() && !st.IsDir()
}

// ForPath returns the writer chosen by a file's extension; an unknown
// extension is an error, never a silent fallback.
func ForPath(path string) (Writer, error) {
	ext := strings.TrimPrefix(filepath.Ext(path), ".")
	if ext == "" {
		return nil, fmt.Errorf("output %q has no extension (known: %s)", path, strings.Join(Formats(), ", "))
	}
	w, err := ForFormat(ext)
	if err != nil {
		return nil, fmt.Errorf("output %q: %w", path, err)
	}
	return w, nil
}
