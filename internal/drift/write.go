package drift

import (
	"encoding/json"
	"fmt"
	"github.com/authprobe/authprobe/internal/finding"
	"io"
	"path/filepath"
	"sort"
	"strings"
)

// Writer renders a drift report in one format.
type Writer func(w io.Writer, r *Report) error

// ForFormat returns the writer of "text"/"txt", "md"/"markdown" or "json".
func ForFormat(name string) (Writer, error) {
	switch strings.ToLower(name) {
	case "text", "txt":
		return WriteText, nil
	case "md", "markdown":
		return WriteMarkdown, nil
	case "json":
		return WriteJSON, nil
	}
	return nil, fmt.Errorf("unknown format %q (known: json, md, txt)", name)
}

// ForPath chooses a writer by the file's extension.
func ForPath(path string) (Writer, error) {
	w, err := ForFormat(strings.TrimPrefix(filepath.Ext(path), "."))
	if err != nil {
		return nil, fmt.Errorf("output %q: %w", path, err)
	}
	return w, nil
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// WriteText renders the report for a terminal.
func WriteText(w io.Writer, r *Report) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "authprobe compare\n  A %s (%d endpoints, %d findings)\n  B %s (%d endpoints, %d findings)\n\n",
		oneLine(r.A.Target), r.A.Endpoints, r.A.Findings, oneLine(r.B.Target), r.B.Endpoints, r.B.Findings)
	if len(r.Drift) == 0 {
		b.WriteString("No drift: every endpoint in both answers alike and has the same findings.\n")
	}
	for _, e := range r.Drift {
		fmt.Fprintf(b, "%s %s  [%s]\n", e.Endpoint.Method, oneLine(e.Endpoint.Path), orDash(string(e.Severity)))
		for _, line := range describe(e) {
			fmt.Fprintf(b, "  - %s\n", line)
		}
		for _, f := range e.Findings {
			if line := proofOf(f.Finding, e.Endpoint); line != "" {
				fmt.Fprintf(b, "    %s proof: %s\n", strings.ToUpper(f.In), oneLine(line))
			}
		}
	}
	if len(r.Drift) > 0 {
		fmt.Fprintf(b, "\n%d endpoints drifted\n", len(r.Drift))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown renders the report for a pull-request comment.
func WriteMarkdown(w io.Writer, r *Report) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "## authprobe compare\n\n| side | target | endpoints | findings |\n|---|---|---|---|\n")
	fmt.Fprintf(b, "| A | `%s` | %d | %d |\n| B | `%s` | %d | %d |\n\n", mdCode(r.A.Target), r.A.Endpoints, r.A.Findings,
		mdCode(r.B.Target), r.B.Endpoints, r.B.Findings)
	if len(r.Drift) == 0 {
		b.WriteString("No drift.\n")
	} else {
		fmt.Fprintf(b, "%d endpoints drifted.\n\n| endpoint | severity | difference |\n|---|---|---|\n", len(r.Drift))
		for _, e := range r.Drift {
			fmt.Fprintf(b, "| `%s %s` | %s | %s |\n", e.Endpoint.Method, mdCode(e.Endpoint.Path), orDash(string(e.Severity)),
				mdCell(strings.Join(describe(e), "; ")))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// describe says what differs on an entry, one phrase per difference.
func describe(e Entry) []string {
	var out []string
	switch e.Only {
	case "a":
		out = append(out, "only in A")
	case "b":
		out = append(out, "only in B")
	}
	for _, c := range e.Matrix {
		out = append(out, fmt.Sprintf("%s: A %s, B %s", c.Principal, c.A, c.B))
	}
	if e.Policy != nil {
		out = append(out, fmt.Sprintf("policy: A %s, B %s", e.Policy.A, e.Policy.B))
	}
	for _, f := range e.Findings {
		other := "B"
		if f.In == "b" {
			other = "A"
		}
		out = append(out, fmt.Sprintf("%s (%s) only in %s, not in %s%s", f.Rule, f.Severity, strings.ToUpper(f.In), other, matrixNote(f.Other)))
	}
	return out
}

// matrixNote shows the other side's matrix row, the evidence that the
// finding is absent there.
func matrixNote(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + m[k]
	}
	return " (there: " + strings.Join(parts, ", ") + ")"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func mdCode(s string) string { return strings.ReplaceAll(oneLine(s), "`", "'") }

func mdCell(s string) string { return strings.ReplaceAll(oneLine(s), "|", `\|`) }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// proofOf is the proving request of f at ep: the instance's own where the
// finding was seen on several endpoints, never another endpoint's. An
// instance without one (inferred from its gate) says whose proof it is.
func proofOf(f finding.Finding, ep finding.Endpoint) string {
	if f.Endpoint != nil && *f.Endpoint == ep {
		if f.Evidence != nil {
			return f.Evidence.Curl
		}
		return ""
	}
	for _, in := range f.Instances {
		if in.Endpoint != nil && *in.Endpoint == ep && in.Curl != "" {
			return in.Curl
		}
	}
	if f.Evidence != nil && f.Evidence.Curl != "" && f.Endpoint != nil {
		return "(not replayed here; the proof on " + f.Endpoint.String() + ") " + f.Evidence.Curl
	}
	return ""
}
