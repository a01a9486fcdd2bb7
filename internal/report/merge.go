package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"path/filepath"
	"regexp"
	"strings"
)

// MergeSchema is the value of Merged.Schema: the JSON of `authprobe merge`.
const MergeSchema = "authprobe/merge/v1"

// Named is one target's result in a merged report.
type Named struct {
	Name   string  `json:"name"`
	Result *Result `json:"result"`
}

// Merged is the JSON form of a merged report.
type Merged struct {
	Schema  string  `json:"schema"`
	Results []Named `json:"results"`
}

// MergeWriter renders several targets' results as one report.
type MergeWriter func(w io.Writer, rs []Named, opt Options) error

// MergeForPath chooses the merged writer by extension: .sarif (one run per
// target), .html (one section per target), .json, .md and .txt (one part
// per target).
func MergeForPath(path string) (MergeWriter, error) {
	switch ext := strings.TrimPrefix(filepath.Ext(path), "."); ext {
	case "sarif":
		return WriteMergedSARIF, nil
	case "html":
		return WriteMergedHTML, nil
	case "json":
		return WriteMergedJSON, nil
	case "md":
		return concat(WriteMarkdown, "## %s\n\n"), nil
	case "txt":
		return concat(WriteText, "==== %s ====\n"), nil
	default:
		return nil, fmt.Errorf("output %q: merge writes .sarif, .html, .json, .md or .txt", path)
	}
}

// WriteMergedJSON writes every result, in order, under its target name.
func WriteMergedJSON(w io.Writer, rs []Named, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(Merged{Schema: MergeSchema, Results: rs})
}

// WriteMergedSARIF writes one SARIF log with one run per target, each run
// exactly as WriteSARIF renders that target alone, except that its
// automation id names the target (GitHub keeps the alerts of each category
// apart, so targets do not replace each other's).
func WriteMergedSARIF(w io.Writer, rs []Named, opt Options) error {
	out := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{}}
	for _, n := range rs {
		var buf bytes.Buffer
		if err := WriteSARIF(&buf, n.Result, opt); err != nil {
			return fmt.Errorf("%s: %w", n.Name, err)
		}
		var one sarifLog
		if err := json.Unmarshal(buf.Bytes(), &one); err != nil {
			return fmt.Errorf("%s: %w", n.Name, err)
		}
		for _, run := range one.Runs {
			id := "authprobe/" + runKind(n.Result) + "/" + n.Name + "/"
			run.AutomationDetails = &sarifAutomation{ID: id}
			if run.Properties == nil {
				run.Properties = map[string]any{}
			}
			run.Properties["name"] = n.Name
			out.Runs = append(out.Runs, run)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

var (
	idAttr   = regexp.MustCompile(`\bid="`)
	hrefFrag = regexp.MustCompile(`\bhref="#`)
)

// WriteMergedHTML writes one self-contained page with a section per target:
// each section is the target's own page body (WriteHTML), its anchors
// prefixed so that targets do not collide, under a table of contents.
func WriteMergedHTML(w io.Writer, rs []Named, opt Options) error {
	var head string
	var toc, body strings.Builder
	for i, n := range rs {
		var buf bytes.Buffer
		if err := WriteHTML(&buf, n.Result, opt); err != nil {
			return fmt.Errorf("%s: %w", n.Name, err)
		}
		page := buf.String()
		start, end := strings.Index(page, "<main>"), strings.LastIndex(page, "</main>")
		if start < 0 || end < start {
			return fmt.Errorf("%s: html page without <main>", n.Name)
		}
		if head == "" {
			head = page[:start]
		}
		prefix := fmt.Sprintf("t%d-", i)
		inner := page[start+len("<main>") : end]
		inner = idAttr.ReplaceAllString(inner, `id="`+prefix)
		inner = hrefFrag.ReplaceAllString(inner, `href="#`+prefix)
		score, grade := Score(n.Result)
		name := html.EscapeString(n.Name)
		fmt.Fprintf(&toc, "<li><a href=\"#%starget\">%s</a> <span class=\"mute\">%s · score %d (%s) · %d findings</span></li>\n",
			prefix, name, html.EscapeString(oneLine(n.Result.Target)), score, grade, len(n.Result.Findings))
		fmt.Fprintf(&body, "<section class=\"target\" id=\"%starget\" aria-label=\"%s\">\n<h2>%s</h2>\n%s</section>\n", prefix, name, name, inner)
	}
	if head == "" {
		head = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>authprobe</title></head>\n<body>\n"
	}
	head = regexp.MustCompile(`<title>[^<]*</title>`).ReplaceAllString(head,
		fmt.Sprintf("<title>authprobe report: %d targets</title>", len(rs)))
	var b strings.Builder
	b.WriteString(head)
	fmt.Fprintf(&b, "<main>\n<h1>Authentication report: %d targets</h1>\n<nav aria-label=\"targets\"><ul class=\"plain\">\n%s</ul></nav>\n%s</main>\n</body>\n</html>\n",
		len(rs), toc.String(), body.String())
	_, err := io.WriteString(w, b.String())
	return err
}

// concat renders each target with one writer under a heading.
func concat(write Writer, heading string) MergeWriter {
	return func(w io.Writer, rs []Named, opt Options) error {
		for i, n := range rs {
			if i > 0 {
				if _, err := io.WriteString(w, "\n"); err != nil {
					return err
				}
			}
			if _, err := fmt.Fprintf(w, heading, oneLine(n.Name)); err != nil {
				return err
			}
			if err := write(w, n.Result, opt); err != nil {
				return fmt.Errorf("%s: %w", n.Name, err)
			}
		}
		return nil
	}
}
