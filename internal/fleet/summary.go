package fleet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/report"
)

// SummarySchema is the value of Summary.Schema.
const SummarySchema = "authprobe/summary/v1"

// Exit codes (README.md), as the summary ranks them.
const (
	ExitOK          = 0
	ExitFindings    = 1
	ExitUsage       = 2
	ExitNoTest      = 3
	ExitInterrupted = 130
)

// Summary is DIR/summary.json: one line per target and the run's exit code.
type Summary struct {
	Schema  string `json:"schema"`
	Exit    int    `json:"exit"`
	Targets []Line `json:"targets"`
}

// Line is one target's outcome.
type Line struct {
	Name  string `json:"name"`
	URL   string `json:"url"`
	Index int    `json:"index"`
	// Exit is the exit code a scan of this target alone would have had.
	Exit int `json:"exit"`
	// Result is the target's JSON result, relative to the summary's
	// directory; empty when the scan produced none.
	Result string `json:"result,omitempty"`
	// Findings counts the active findings by severity (every severity
	// present, zeros included, when there is a result).
	Findings   map[string]int      `json:"findings,omitempty"`
	Score      *int                `json:"score,omitempty"`
	Grade      string              `json:"grade,omitempty"`
	Endpoints  int                 `json:"endpoints"`
	Requests   int                 `json:"requests"`
	DurationMS int64               `json:"duration_ms"`
	Coverage   map[string]Coverage `json:"coverage,omitempty"`
	NotRun     int                 `json:"not_run,omitempty"`
	Incomplete bool                `json:"incomplete,omitempty"`
	// Error says why the target could not be scanned (or why its scan
	// ended early), as the single-target scan would have printed it.
	Error string `json:"error,omitempty"`
}

// Coverage is one check family's figures for a target.
type Coverage struct {
	Tested  int `json:"tested"`
	Skipped int `json:"skipped"`
}

var severities = []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low, finding.Info}

// LineOf summarises a result.
func LineOf(r *report.Result) Line {
	l := Line{Findings: map[string]int{}, Endpoints: len(r.Endpoints), Requests: r.Stats.Requests,
		DurationMS: r.Stats.DurationMS, NotRun: len(r.NotRun), Incomplete: r.Incomplete}
	for _, s := range severities {
		l.Findings[string(s)] = 0
	}
	for _, f := range r.Findings {
		if f.Suppressed == "" {
			l.Findings[string(f.Severity)]++
		}
	}
	score, grade := report.Score(r)
	l.Score, l.Grade = &score, grade
	for _, c := range r.Coverage {
		if l.Coverage == nil {
			l.Coverage = map[string]Coverage{}
		}
		l.Coverage[c.Family] = Coverage{Tested: c.Tested, Skipped: len(c.Skipped)}
	}
	return l
}

// rank orders exit codes from best to worst: interrupted, then a usage or
// config error, then could not test, then findings.
func rank(code int) int {
	switch code {
	case ExitOK:
		return 0
	case ExitFindings:
		return 1
	case ExitNoTest:
		return 2
	case ExitUsage:
		return 3
	}
	return 4 // interrupted or unknown
}

// Worst is the exit code of a run over several targets.
func Worst(lines []Line) int {
	worst := ExitOK
	for _, l := range lines {
		if rank(l.Exit) > rank(worst) {
			worst = l.Exit
		}
	}
	return worst
}

// NewSummary builds the summary of lines, in the order given.
func NewSummary(lines []Line) *Summary {
	return &Summary{Schema: SummarySchema, Exit: Worst(lines), Targets: lines}
}

// WriteJSON writes the summary as JSON with one target per line, so that
// line tools (grep, wc -l) work on it as well as JSON ones.
func (s *Summary) WriteJSON(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\"schema\": %q, \"exit\": %d, \"targets\": [", s.Schema, s.Exit)
	for i, l := range s.Targets {
		line, err := json.Marshal(l)
		if err != nil {
			return err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n  ")
		b.Write(line)
	}
	b.WriteString("\n]}\n")
	_, err := w.Write(b.Bytes())
	return err
}

// ReadSummary decodes a summary and checks its schema.
func ReadSummary(data []byte) (*Summary, error) {
	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	if s.Schema != SummarySchema {
		return nil, fmt.Errorf("schema %q, want %q", s.Schema, SummarySchema)
	}
	return &s, nil
}

// WriteTable renders the summary for a terminal: one row per target.
func (s *Summary) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tEXIT\tCRIT\tHIGH\tMED\tLOW\tINFO\tSCORE\tENDPOINTS\tREQUESTS\tSECONDS\tERROR")
	for _, l := range s.Targets {
		counts := make([]string, len(severities))
		for i, sev := range severities {
			counts[i] = "-"
			if l.Findings != nil {
				counts[i] = fmt.Sprint(l.Findings[string(sev)])
			}
		}
		score := "-"
		if l.Score != nil {
			score = fmt.Sprintf("%d %s", *l.Score, l.Grade)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%d\t%.1f\t%s\n", l.Name, l.Exit, strings.Join(counts, "\t"), score,
			l.Endpoints, l.Requests, float64(l.DurationMS)/1000, oneLine(l.Error))
	}
	fmt.Fprintf(tw, "%d targets · exit %d (worst over targets)\n", len(s.Targets), s.Exit)
	return tw.Flush()
}

// oneLine keeps an error on its row.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
