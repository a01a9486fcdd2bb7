package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
)

// topFindings is how many findings the Markdown summary lists.
const topFindings = 10

var severityMark = map[finding.Severity]string{
	finding.Critical: "🟣", finding.High: "🔴", finding.Medium: "🟠", finding.Low: "🔵", finding.Info: "⚪",
}

// WriteMarkdown renders a short summary for a pull-request comment: grade,
// counts per severity and the most severe findings, one line each; the
// other findings and the run's warnings follow in collapsed sections, so
// the comment is complete on its own. Text from the target is escaped so it
// cannot inject markup, links or HTML.
func WriteMarkdown(w io.Writer, r *Result, opt Options) error {
	v := newView(r)
	ew := &errWriter{w: w}
	if len(v.ungraded) > 0 {
		ew.printf("### authprobe: %s, not graded\n\n", v.grading.Kind)
	} else {
		ew.printf("### authprobe: grade %s (%d/100)\n\n", v.grade, v.score)
	}
	facts := []string{"**Target** " + codeSpan(r.Target)}
	facts = append(facts, plural(r.Stats.Endpoints, "endpoint"))
	if sentRequests(r) {
		facts = append(facts, plural(r.Stats.Requests, "request"))
	}
	if r.Stats.Files > 0 {
		facts = append(facts, plural(r.Stats.Files, "file"))
	}
	if s := started(r.StartedAt); s != "" {
		facts = append(facts, "started "+s)
	}
	ew.printf("%s\n\n", strings.Join(facts, " · "))
	if r.Incomplete {
		ew.printf("> [!WARNING]\n> Incomplete run: interrupted or out of budget; %s not run.\n\n", plural(len(r.NotRun), "check"))
	}
	ew.printf("| critical | high | medium | low | info | suppressed |\n|---:|---:|---:|---:|---:|---:|\n")
	ew.printf("| %d | %d | %d | %d | %d | %d |\n\n", v.counts[finding.Critical], v.counts[finding.High],
		v.counts[finding.Medium], v.counts[finding.Low], v.counts[finding.Info], len(v.suppressed))
	if len(v.active) == 0 {
		ew.printf("No findings.\n")
	} else {
		ew.printf("**Top findings**\n\n")
		for i, f := range v.active {
			if i == topFindings {
				ew.printf("\n<details><summary>…and %d more</summary>\n\n", len(v.active)-topFindings)
			}
			ew.printf("- %s\n", markdownLine(f, opt))
		}
		if len(v.active) > topFindings {
			ew.printf("\n</details>\n")
		}
	}
	writeMarkdownCoverage(ew, v)
	writeMarkdownFixes(ew, r)
	if n := len(r.Warnings); n > 0 {
		ew.printf("\n<details><summary>%s during the run</summary>\n\n", plural(n, "warning"))
		for _, w := range r.Warnings {
			ew.printf("- %s\n", mdText(w))
		}
		ew.printf("\n</details>\n")
	}
	return ew.err
}

// markdownLine is one finding: severity, rule, title, where, identity.
func markdownLine(f finding.Finding, opt Options) string {
	mark := severityMark[f.Severity]
	if mark == "" {
		mark = "❔"
	}
	var where []string
	if f.Endpoint != nil {
		where = append(where, codeSpan(f.Endpoint.String()))
	}
	if f.Location != nil {
		where = append(where, sourceLink(*f.Location, opt.SourceURL))
	}
	line := fmt.Sprintf("%s **%s** %s %s", mark, mdText(string(f.Severity)), codeSpan(f.Rule), mdText(f.Title))
	if len(where) > 0 {
		line += " — " + strings.Join(where, " at ")
	}
	if f.Identity != "" {
		line += " (as " + mdText(f.Identity) + ")"
	}
	if a := affected(f, 12); a != "" {
		line += " — " + mdText(a)
	}
	return line
}

// sourceLink links file:line to base (a repository blob URL) when given.
func sourceLink(l finding.Location, base string) string {
	text := codeSpan(l.String())
	if base == "" {
		return text
	}
	u := strings.TrimRight(base, "/") + "/" + strings.TrimPrefix(artifactURI(l.File), "/")
	if l.Line > 0 {
		u += fmt.Sprintf("#L%d", l.Line)
	}
	return "[" + text + "](" + strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(u) + ")"
}

// mdText escapes text so Markdown renders it literally on one line.
func mdText(s string) string {
	s = oneLine(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '|', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '<':
			b.WriteString("&lt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// codeSpan renders s as inline code, choosing a fence longer than any run of
// backticks inside it (the only way to quote a backtick in a code span).
func codeSpan(s string) string {
	s = oneLine(s)
	if s == "" {
		return "` `"
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if longest > 0 || strings.HasPrefix(s, " ") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// writeMarkdownCoverage renders what each check family tested and skipped,
// and why a result is not graded.
func writeMarkdownCoverage(ew *errWriter, v *view) {
	if len(v.r.Coverage) == 0 {
		return
	}
	ew.printf("\n**Coverage**\n\n")
	for _, u := range v.ungraded {
		ew.printf("> [!WARNING]\n> Not graded: %s.\n\n", mdText(u))
	}
	ew.printf("| family | tested | skipped |\n|---|---:|---|\n")
	for _, c := range v.r.Coverage {
		skipped := "0"
		if len(c.Skipped) > 0 {
			skipped = fmt.Sprintf("%d (%s)", len(c.Skipped), skipSummary(c.Skipped))
		}
		ew.printf("| %s | %d | %s |\n", mdText(c.Family), c.Tested, mdText(skipped))
	}
}
