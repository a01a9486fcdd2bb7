package report

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
)

// severities lists the scale from most to least severe; every writer groups
// and counts in this order.
var severities = []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low, finding.Info}

// view is the read-only arrangement of a Result that the writers share:
// findings copied and sorted, split into active and suppressed, counts and
// matrix columns computed once. Building it never changes the Result.
type view struct {
	r          *Result
	active     []finding.Finding
	suppressed []finding.Finding
	counts     map[finding.Severity]int
	endpoints  []Endpoint
	principals []string
	// flagged maps "METHOD /path\x00principal" to the rules of the active
	// findings about that matrix cell.
	flagged map[string][]string
	score   int
	grade   string
	// ungraded lists the core families that could not run; when set, grade
	// is Incomplete.
	ungraded []string
	grading  Grading
}

func newView(r *Result) *view {
	all := append([]finding.Finding(nil), r.Findings...)
	finding.Sort(all)
	v := &view{r: r, counts: map[finding.Severity]int{}}
	for _, f := range all {
		if f.Suppressed != "" {
			v.suppressed = append(v.suppressed, f)
			continue
		}
		v.active = append(v.active, f)
		v.counts[f.Severity]++
	}
	v.flagged = map[string][]string{}
	for _, f := range v.active {
		if f.Endpoint != nil && f.Identity != "" {
			k := cellKey(f.Endpoint.Method, f.Endpoint.Path, f.Identity)
			v.flagged[k] = append(v.flagged[k], f.Rule)
		}
	}
	v.endpoints = sortedEndpoints(r.Endpoints)
	v.principals = principals(v.endpoints)
	v.score, v.grade = Score(r)
	v.grading = GradingOf(r)
	if !v.grading.Graded() {
		v.ungraded = v.grading.Why
		v.grade = v.grading.Kind
	}
	return v
}

// scoreText is the score line's value: "87/100 (grade B)", or why there is
// no grade.
func (v *view) scoreText() string {
	if !v.grading.Graded() {
		return v.grading.Text()
	}
	return strconv.Itoa(v.score) + "/100 (grade " + v.grade + ")"
}

// bySeverity returns the active findings of one severity, in sorted order.
func (v *view) bySeverity(s finding.Severity) []finding.Finding {
	var out []finding.Finding
	for _, f := range v.active {
		if f.Severity == s {
			out = append(out, f)
		}
	}
	return out
}

// unknownSeverity returns active findings whose severity is not on the scale,
// so that a hand-edited result never loses a finding in a writer.
func (v *view) unknownSeverity() []finding.Finding {
	var out []finding.Finding
	for _, f := range v.active {
		if f.Severity.Rank() == 0 {
			out = append(out, f)
		}
	}
	return out
}

func sortedEndpoints(in []Endpoint) []Endpoint {
	out := append([]Endpoint(nil), in...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// principals is the union of matrix columns: "anonymous" first (the column
// every reader looks at), then the others by name.
func principals(eps []Endpoint) []string {
	seen := map[string]bool{}
	for _, e := range eps {
		for k := range e.Matrix {
			seen[k] = true
		}
	}
	var out []string
	for k := range seen {
		if k != "anonymous" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	if seen["anonymous"] {
		out = append([]string{"anonymous"}, out...)
	}
	return out
}

// where says where a finding is: the endpoint, the source line, or both.
func where(f finding.Finding) string {
	var parts []string
	if f.Endpoint != nil {
		parts = append(parts, f.Endpoint.String())
	}
	if f.Location != nil {
		parts = append(parts, f.Location.String())
	}
	if len(parts) == 0 {
		return "(API-wide)"
	}
	return strings.Join(parts, " at ")
}

// verdictSymbol maps a matrix cell to its symbol.
func verdictSymbol(v string) string {
	switch v {
	case "accepted":
		return "✓"
	case "rejected":
		return "✗"
	case "inconclusive":
		return "?"
	case "":
		return "·"
	}
	return "?"
}

// duration renders Stats.DurationMS for people.
func duration(ms int64) string {
	d := time.Duration(ms) * time.Millisecond
	if d >= time.Second {
		d = d.Round(10 * time.Millisecond)
	}
	return d.String()
}

// started renders StartedAt in UTC, or "" when unknown.
func started(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// summaryLine is "2 critical · 1 high · ..." over the active findings.
func (v *view) summaryLine() string {
	var parts []string
	for _, s := range severities {
		parts = append(parts, strconv.Itoa(v.counts[s])+" "+string(s))
	}
	return strings.Join(parts, " · ")
}

// sentRequests says whether the request count means anything: a source
// analysis sends none and says so by reading files instead.
func sentRequests(r *Result) bool {
	return r.Stats.Requests > 0 || r.Stats.Files == 0
}

func cellKey(method, path, principal string) string {
	return method + " " + path + "\x00" + principal
}
