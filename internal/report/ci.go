package report

import (
	"fmt"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
)

// CIOptions are the CI features every command offers: --baseline and
// --ignore-file. Zero values do nothing.
type CIOptions struct {
	// Baseline is the path of an earlier JSON result; findings it already
	// had are suppressed so that only new ones are reported and gate.
	Baseline string
	// IgnoreFile is the path of a YAML ignore file (see IgnoreFile).
	IgnoreFile string
	// Now decides which ignore entries have expired; the zero value means
	// time.Now(). Injected so that tests and replays are reproducible.
	Now time.Time
}

// ApplyCIOptions applies the ignore file, then the baseline, to r. Entries of
// the ignore file keep their own reason; what is left and was in the
// baseline is marked as such. Errors name the file at fault.
func ApplyCIOptions(r *Result, opts CIOptions) error {
	if opts.IgnoreFile != "" {
		ig, err := LoadIgnore(opts.IgnoreFile)
		if err != nil {
			return err
		}
		now := opts.Now
		if now.IsZero() {
			now = time.Now()
		}
		ApplyIgnore(r, ig, now)
	}
	if opts.Baseline != "" {
		old, err := ReadJSON(opts.Baseline)
		if err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
		Baseline(r, old)
	}
	return nil
}

// Gate says whether a run fails CI: an active finding at or above failOn
// (the empty severity, from --fail-on none, never fails), or a score below
// minScore (0 disables it). The reason is empty when the run passes.
func Gate(r *Result, failOn finding.Severity, minScore int) (bool, string) {
	if finding.AtLeast(r.Findings, failOn) {
		n := 0
		for _, f := range r.Findings {
			if f.Suppressed == "" && f.Severity.Rank() >= failOn.Rank() {
				n++
			}
		}
		return true, fmt.Sprintf("%d findings at or above %s", n, failOn)
	}
	if minScore > 0 {
		if g := GradingOf(r); !g.Graded() {
			return true, fmt.Sprintf("--min-score %d: the result is %s", minScore, g.Text())
		}
		if score, grade := Score(r); score < minScore {
			return true, fmt.Sprintf("score %d (grade %s) is below --min-score %d", score, grade, minScore)
		}
	}
	return false, ""
}
