package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
)

// errWriter keeps the first write error so that writers can print freely
// and check once at the end.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}

// WriteText renders the result for a person reading a terminal: a header
// with the score, an index of the findings (one line each, so that the first
// screen shows them all), findings grouped by severity (critical first) with their
// proof, reproducer and fix, the auth matrix, what was suppressed, not run or
// went wrong, and a summary line. Every string that came from the target is
// printed with control characters escaped. Colour only when opt.Color.
func WriteText(w io.Writer, r *Result, opt Options) error {
	v := newView(r)
	p := painter(opt.Color)
	ew := &errWriter{w: w}
	writeTextHeader(ew, v, p)
	if len(v.active) == 0 {
		ew.printf("\nNo findings.\n")
	}
	writeTextIndex(ew, v, p)
	for _, s := range severities {
		writeTextGroup(ew, p, string(s), s, v.bySeverity(s))
	}
	writeTextGroup(ew, p, "other", "", v.unknownSeverity())
	writeTextMatrix(ew, v, p)
	writeTextSuppressed(ew, v, p)
	writeTextCoverage(ew, p, r)
	writeTextList(ew, p, "Not run", r.NotRun)
	writeTextList(ew, p, "Warnings", r.Warnings)
	writeTextDiagnostics(ew, p, r.Diagnostics)
	ew.printf("\n%s — %d findings", v.summaryLine(), len(v.active))
	if len(v.suppressed) > 0 || r.Stats.Suppressed > 0 {
		ew.printf(", %d suppressed", max(len(v.suppressed), r.Stats.Suppressed))
	}
	ew.printf("\n")
	return ew.err
}

func writeTextHeader(ew *errWriter, v *view, p painter) {
	r := v.r
	ew.printf("%s %s — %s\n", p.heading(oneLine(r.Tool.Name)), oneLine(r.Tool.Version), p.heading(oneLine(r.Target)))
	var facts []string
	if s := started(r.StartedAt); s != "" {
		facts = append(facts, "started "+s)
	}
	facts = append(facts, plural(r.Stats.Endpoints, "endpoint"))
	if sentRequests(r) {
		facts = append(facts, plural(r.Stats.Requests, "request"))
	}
	facts = append(facts, duration(r.Stats.DurationMS))
	if r.Stats.Files > 0 {
		facts = append(facts, plural(r.Stats.Files, "file"), plural(r.Stats.Lines, "line"))
	}
	ew.printf("%s\n", p.dim(strings.Join(facts, " · ")))
	ew.printf("score %s\n", p.grade(v.grade, v.scoreText()))
	if r.Incomplete {
		ew.printf("%s\n", p.paint("INCOMPLETE: the run was interrupted or its budget spent; see Not run", sgrBold, sgrYellow))
	}
}

// writeTextIndex lists the findings one line each, most severe first,
// before their details.
func writeTextIndex(ew *errWriter, v *view, p painter) {
	if len(v.active) < 2 {
		return
	}
	ew.printf("\n%s\n", p.heading(fmt.Sprintf("Findings (%d)", len(v.active))))
	var fs []finding.Finding
	for _, s := range severities {
		fs = append(fs, v.bySeverity(s)...)
	}
	fs = append(fs, v.unknownSeverity()...)
	for _, f := range fs {
		label := orText(string(f.Severity), "(none)")
		ew.printf("  %s %s %s  %s\n", p.severity(f.Severity, "●"), p.severity(f.Severity, fmt.Sprintf("%-8s", oneLine(label))),
			p.accent(oneLine(f.Rule)), oneLine(where(f)))
	}
}

func writeTextGroup(ew *errWriter, p painter, label string, s finding.Severity, fs []finding.Finding) {
	if len(fs) == 0 {
		return
	}
	ew.printf("\n%s\n", p.severity(s, fmt.Sprintf("%s (%d)", strings.ToUpper(label), len(fs))))
	for _, f := range fs {
		writeTextFinding(ew, p, f)
	}
}

// textField prints one labelled line; multi-line values stay aligned.
func textField(ew *errWriter, p painter, label, value string) {
	if value == "" {
		return
	}
	const indent = "                  "
	ew.printf("    %s%s\n", p.dim(fmt.Sprintf("%-14s", label)), block(value, indent))
}

func writeTextFinding(ew *errWriter, p painter, f finding.Finding) {
	ew.printf("  %s %s  %s\n", p.severity(f.Severity, "●"), p.accent(oneLine(f.Rule)), p.heading(oneLine(f.Title)))
	if f.Severity.Rank() == 0 { // not on the scale: say what it was
		textField(ew, p, "severity", orText(string(f.Severity), "(none)"))
	}
	textField(ew, p, "where", where(f))
	textField(ew, p, "affected", affected(f, 12))
	textField(ew, p, "gate", f.Gate)
	if f.Location != nil && f.Location.Snippet != "" {
		textField(ew, p, "code", f.Location.Snippet)
	}
	textField(ew, p, "identity", f.Identity)
	conf := oneLine(string(f.Confidence))
	if f.Source != "" {
		conf += " (" + oneLine(f.Source) + ")"
	}
	textField(ew, p, "confidence", conf)
	tags := append(append([]string(nil), f.CWE...), f.OWASP...)
	textField(ew, p, "tags", oneLine(strings.Join(tags, " ")))
	textField(ew, p, "message", f.Message)
	if e := f.Evidence; e != nil {
		textField(ew, p, "proof", e.Proof)
		textField(ew, p, "control", e.Control)
		if e.Status != 0 {
			textField(ew, p, "status", fmt.Sprint(e.Status))
		}
		textField(ew, p, "token", e.Token)
		textField(ew, p, "request", e.Request)
		textField(ew, p, "reproduce", e.Curl)
	}
	for _, rel := range f.Related {
		textField(ew, p, "related", rel.String())
	}
	for _, st := range f.Flow {
		textField(ew, p, "path", st.Role+" "+st.Location.String()+"  "+oneLine(st.Note))
	}
	textField(ew, p, "fix", f.Remediation)
	textField(ew, p, "fingerprint", f.Fingerprint)
}

func writeTextSuppressed(ew *errWriter, v *view, p painter) {
	if len(v.suppressed) == 0 {
		return
	}
	ew.printf("\n%s\n", p.heading(fmt.Sprintf("Suppressed (%d)", len(v.suppressed))))
	for _, f := range v.suppressed {
		ew.printf("  %s %s %s  %s\n", p.dim(fmt.Sprintf("%-8s", oneLine(string(f.Severity)))),
			oneLine(f.Rule), oneLine(where(f)), p.dim("— "+oneLine(f.Suppressed)))
	}
}

func writeTextList(ew *errWriter, p painter, title string, items []string) {
	if len(items) == 0 {
		return
	}
	ew.printf("\n%s\n", p.heading(fmt.Sprintf("%s (%d)", title, len(items))))
	for _, it := range items {
		ew.printf("  - %s\n", block(it, "    "))
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
