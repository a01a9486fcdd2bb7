package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
)

// DiffSchema is the value of Diff.Schema.
const DiffSchema = "authprobe/diff/v1"

// DiffSide summarises one of the two results compared.
type DiffSide struct {
	Target    string    `json:"target"`
	Version   string    `json:"version"`
	StartedAt time.Time `json:"started_at,omitzero"`
	Findings  int       `json:"findings"`
	Score     int       `json:"score"`
	Grade     string    `json:"grade"`
}

// Diff is what changed between two results, finding by finding (see Match):
// findings only in the new result, only in the old one (fixed), and in
// both (unchanged, as they are in the new result). Suppressed findings are
// listed too, with their reason; they never gate.
type Diff struct {
	Schema    string            `json:"schema"`
	Old       DiffSide          `json:"old"`
	New       DiffSide          `json:"new"`
	Added     []finding.Finding `json:"new_findings"`
	Fixed     []finding.Finding `json:"fixed"`
	Unchanged []finding.Finding `json:"unchanged"`
}

// Changes says what changed between an old and a new run of one target
// (authprobe diff): findings new, fixed and unchanged; lists are sorted and
// never nil.
func Changes(old, new *Result) *Diff {
	m := Match(old.Findings, new.Findings)
	d := &Diff{Schema: DiffSchema, Old: side(old), New: side(new),
		Added: []finding.Finding{}, Fixed: []finding.Finding{}, Unchanged: []finding.Finding{}}
	for _, j := range m.Added {
		d.Added = append(d.Added, new.Findings[j])
	}
	for _, i := range m.Fixed {
		d.Fixed = append(d.Fixed, old.Findings[i])
	}
	for _, p := range m.Unchanged {
		d.Unchanged = append(d.Unchanged, new.Findings[p.New])
	}
	finding.Sort(d.Added)
	finding.Sort(d.Fixed)
	finding.Sort(d.Unchanged)
	return d
}

func side(r *Result) DiffSide {
	score, grade := Score(r)
	return DiffSide{Target: r.Target, Version: r.Tool.Version, StartedAt: r.StartedAt,
		Findings: len(r.Findings), Score: score, Grade: grade}
}

// DiffWriter renders a diff in one format.
type DiffWriter func(w io.Writer, d *Diff, opt Options) error

// DiffForPath chooses a diff writer by extension: .json, .txt or .md.
func DiffForPath(path string) (DiffWriter, error) {
	ext := strings.TrimPrefix(filepath.Ext(path), ".")
	w, err := DiffForFormat(ext)
	if err != nil {
		return nil, fmt.Errorf("output %q: %w", path, err)
	}
	return w, nil
}

// DiffForFormat returns the diff writer of a format name.
func DiffForFormat(name string) (DiffWriter, error) {
	switch canonical(name) {
	case "json":
		return WriteDiffJSON, nil
	case "txt":
		return WriteDiffText, nil
	case "md":
		return WriteDiffMarkdown, nil
	}
	return nil, fmt.Errorf("unknown diff format %q (known: json, md, txt)", name)
}

// WriteDiffJSON writes the diff as indented JSON.
func WriteDiffJSON(w io.Writer, d *Diff, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

// WriteDiffText renders the diff for a terminal: new findings in full
// (one line each plus message), fixed and unchanged briefly.
func WriteDiffText(w io.Writer, d *Diff, opt Options) error {
	p := painter(opt.Color)
	ew := &errWriter{w: w}
	ew.printf("%s %s → %s\n", p.heading("authprobe diff"), oneLine(d.Old.Target), oneLine(d.New.Target))
	ew.printf("score %d (%s) → %s\n", d.Old.Score, d.Old.Grade,
		p.grade(d.New.Grade, fmt.Sprintf("%d (%s)", d.New.Score, d.New.Grade)))
	sections := []struct {
		title string
		fs    []finding.Finding
		full  bool
	}{{"New", d.Added, true}, {"Fixed", d.Fixed, false}, {"Unchanged", d.Unchanged, false}}
	for _, s := range sections {
		ew.printf("\n%s\n", p.heading(fmt.Sprintf("%s (%d)", s.title, len(s.fs))))
		for _, f := range s.fs {
			ew.printf("  %s %s  %s  %s", p.severity(f.Severity, fmt.Sprintf("%-8s", oneLine(string(f.Severity)))),
				p.accent(oneLine(f.Rule)), oneLine(where(f)), p.dim(fingerprintOf(f)))
			if f.Suppressed != "" {
				ew.printf("  %s", p.dim("(suppressed: "+oneLine(f.Suppressed)+")"))
			}
			ew.printf("\n")
			if s.full && f.Message != "" {
				ew.printf("           %s\n", block(f.Message, "           "))
			}
		}
	}
	ew.printf("\n%d new, %d fixed, %d unchanged\n", len(d.Added), len(d.Fixed), len(d.Unchanged))
	return ew.err
}

// WriteDiffMarkdown renders the diff for a pull-request comment.
func WriteDiffMarkdown(w io.Writer, d *Diff, opt Options) error {
	ew := &errWriter{w: w}
	ew.printf("### authprobe diff: %d new, %d fixed, %d unchanged\n\n", len(d.Added), len(d.Fixed), len(d.Unchanged))
	ew.printf("Score %d (%s) → **%d (%s)**\n", d.Old.Score, d.Old.Grade, d.New.Score, d.New.Grade)
	for _, s := range []struct {
		title string
		fs    []finding.Finding
	}{{"New findings", d.Added}, {"Fixed", d.Fixed}} {
		if len(s.fs) == 0 {
			continue
		}
		ew.printf("\n**%s**\n\n", s.title)
		for i, f := range s.fs {
			if i == topFindings {
				ew.printf("- _…and %d more_\n", len(s.fs)-topFindings)
				break
			}
			line := markdownLine(f, opt)
			if f.Suppressed != "" {
				line += " _(suppressed)_"
			}
			ew.printf("- %s\n", line)
		}
	}
	return ew.err
}
