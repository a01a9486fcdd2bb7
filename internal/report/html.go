package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
)

//go:embed report.html.tmpl
var htmlSource string

// htmlFinding is a finding with what the page needs precomputed.
type htmlFinding struct {
	finding.Finding
	Anchor     string
	Where      string
	SourceHref string
	Tags       []string
	// Places lists every place of the root cause when there are several.
	Places []string
}

type htmlGroup struct {
	Severity string
	Findings []htmlFinding
}

type htmlCell struct {
	Class, Symbol, Title string
}

type htmlRow struct {
	Method, Path, Policy, Source, Auth string
	Cells                              []htmlCell
}

type htmlCount struct {
	Severity string
	N        int
}

type htmlData struct {
	R          *Result
	Target     string
	Tool       string
	NotRun     []string
	Warnings   []string
	Started    string
	Duration   string
	Requests   bool
	Score      int
	Grade      string
	Counts     []htmlCount
	Total      int
	Groups     []htmlGroup
	Principals []string
	Rows       []htmlRow
	Suppressed []htmlFinding
	// Ungraded says why no grade is shown; Coverage is one line per family
	// and skip.
	Ungraded []string
	// NotGradedKind is "Partial" or "Incomplete" when Ungraded is set.
	NotGradedKind string
	Coverage      []string
}

// WriteHTML renders one self-contained page (inline CSS, no script, no
// network: a Content-Security-Policy forbids both) for someone who has never
// seen the tool. html/template escapes everything from the target.
func WriteHTML(w io.Writer, r *Result, opt Options) error {
	t, err := template.New("report").Funcs(template.FuncMap{"upper": strings.ToUpper}).Parse(htmlSource)
	if err != nil {
		return fmt.Errorf("html template: %w", err)
	}
	v := newView(r)
	d := htmlData{R: r, Started: started(r.StartedAt), Duration: duration(r.Stats.DurationMS),
		Score: v.score, Grade: v.grade, Total: len(v.active), Requests: sentRequests(r)}
	d.Target, d.Tool = oneLine(r.Target), oneLine(r.Tool.Name+" "+r.Tool.Version)
	for _, s := range r.NotRun {
		d.NotRun = append(d.NotRun, block(s, ""))
	}
	for _, s := range r.Warnings {
		d.Warnings = append(d.Warnings, block(s, ""))
	}
	for _, p := range v.principals {
		d.Principals = append(d.Principals, oneLine(p))
	}
	for _, s := range severities {
		d.Counts = append(d.Counts, htmlCount{string(s), v.counts[s]})
		if fs := v.bySeverity(s); len(fs) > 0 {
			d.Groups = append(d.Groups, htmlGroup{string(s), htmlFindings(fs, opt)})
		}
	}
	if fs := v.unknownSeverity(); len(fs) > 0 {
		d.Groups = append(d.Groups, htmlGroup{"other", htmlFindings(fs, opt)})
	}
	d.Suppressed = htmlFindings(v.suppressed, opt)
	d.Rows = htmlRows(v)
	d.Ungraded, d.Coverage = v.ungraded, coverageLines(r)
	if k := v.grading.Kind; k != "" {
		d.NotGradedKind = strings.ToUpper(k[:1]) + k[1:]
	}
	if err := t.Execute(w, d); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	return nil
}

func htmlFindings(fs []finding.Finding, opt Options) []htmlFinding {
	out := make([]htmlFinding, 0, len(fs))
	for _, f := range fs {
		h := htmlFinding{Finding: cleanFinding(f), Anchor: "f-" + fingerprintOf(f), Where: oneLine(where(f))}
		if ps := placesOf(f); len(ps) > 1 {
			h.Places = ps
		}
		for _, tag := range append(append([]string(nil), f.CWE...), f.OWASP...) {
			h.Tags = append(h.Tags, oneLine(tag))
		}
		if f.Location != nil && opt.SourceURL != "" {
			h.SourceHref = strings.TrimRight(opt.SourceURL, "/") + "/" +
				strings.TrimPrefix(artifactURI(f.Location.File), "/") + fmt.Sprintf("#L%d", f.Location.Line)
		}
		out = append(out, h)
	}
	return out
}

// htmlRows builds the matrix; a cell whose endpoint and identity have an
// active finding is flagged and names the rules.
func htmlRows(v *view) []htmlRow {
	rows := make([]htmlRow, 0, len(v.endpoints))
	for _, e := range v.endpoints {
		row := htmlRow{Method: oneLine(e.Method), Path: oneLine(e.Path), Policy: oneLine(orDash(e.Policy)),
			Source: oneLine(e.Source), Auth: oneLine(strings.Join(e.Auth, ", "))}
		for _, p := range v.principals {
			verdict := e.Matrix[p]
			c := htmlCell{Class: "v-" + cellClass(verdict), Symbol: verdictSymbol(verdict), Title: p + ": " + orText(verdict, "not tested")}
			if rules := v.flagged[cellKey(e.Method, e.Path, p)]; len(rules) > 0 {
				c.Class += " flag"
				c.Title += "; finding: " + strings.Join(rules, ", ")
			}
			row.Cells = append(row.Cells, c)
		}
		rows = append(rows, row)
	}
	return rows
}

func cellClass(verdict string) string {
	switch verdict {
	case "accepted", "rejected", "inconclusive":
		return verdict
	case "":
		return "none"
	}
	return "inconclusive"
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
