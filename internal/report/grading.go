package report

import (
	"fmt"
	"strings"
)

// Partial is shown instead of a grade when the run was limited by
// --checks or --skip: families that did not run say nothing about the API.
const Partial = "partial"

// Grading says whether a result carries a grade, and why not.
type Grading struct {
	// Kind is "" (graded), Partial or Incomplete.
	Kind string
	// Why lists the reasons, one per family or cause.
	Why []string
}

// Graded reports whether the result may carry a grade letter.
func (g Grading) Graded() bool { return g.Kind == "" }

// Text is the score line's wording when not graded.
func (g Grading) Text() string {
	return g.Kind + ", not graded: " + strings.Join(g.Why, "; ")
}

// GradingOf decides whether a result may be graded. Never on what was not
// tested: a run limited by --checks/--skip is partial; a core family that
// could not run, a family whose answers were mostly throttling, server
// errors or timeouts, a family that could not decide anything (no refusal
// recognised, every write skipped, identities set aside by preflight), or
// a scan cut short make it incomplete.
func GradingOf(r *Result) Grading {
	var partial []string
	if len(r.FamiliesNotRun) > 0 {
		partial = []string{"families that did not run: " + strings.Join(r.FamiliesNotRun, ", ")}
	}
	why := Ungraded(r)
	if untested := nothingTested(r); untested != "" {
		why = append(why, untested)
	}
	for _, c := range r.Coverage {
		if c.Undecided != "" {
			why = append(why, c.Family+": could not decide: "+c.Undecided)
		}
		if c.Inconclusive > 0 && c.Inconclusive >= c.Tested {
			why = append(why, fmt.Sprintf("%s: inconclusive: %s answered mostly 429, 5xx or timeouts (%d tested)",
				c.Family, plural(c.Inconclusive, "endpoint"), c.Tested))
		}
	}
	if r.Incomplete {
		why = append(why, "the scan was cut short")
	}
	switch {
	case len(why) > 0:
		// Incomplete is the stronger word: something that ran could not
		// decide; a limited selection is said too.
		return Grading{Kind: Incomplete, Why: append(why, partial...)}
	case len(partial) > 0:
		return Grading{Kind: Partial, Why: partial}
	}
	return Grading{}
}

// nothingTested says why when no family tested any endpoint although some
// were skipped (no identity calibrated them, every endpoint out of budget):
// such a result says nothing about the API, whatever families it lists.
func nothingTested(r *Result) string {
	var first *Coverage
	for i := range r.Coverage {
		c := &r.Coverage[i]
		if c.Tested > 0 {
			return ""
		}
		if len(c.Skipped) > 0 && first == nil {
			first = c
		}
	}
	if first == nil {
		return ""
	}
	return "no endpoint was tested (" + first.Family + ": " + skipSummary(first.Skipped) + ")"
}

// SetGrade fills the result's grading fields: graded, and the score and
// grade letter only when it is.
func SetGrade(r *Result) {
	g := GradingOf(r)
	r.Graded, r.NotGraded, r.Grade, r.Score = g.Graded(), nil, "", nil
	if !r.Graded {
		r.NotGraded = append([]string{g.Kind}, g.Why...)
		return
	}
	score, grade := Score(r)
	r.Score, r.Grade = &score, grade
}
