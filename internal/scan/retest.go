package scan

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/retest"
)

// RetestSchema is the value of a retest result's schema field.
const RetestSchema = "authprobe/retest/v1"

// Retest is what a retest established: per finding, still open, fixed or
// inconclusive.
type Retest struct {
	Schema   string         `json:"schema"`
	Target   string         `json:"target"`
	Result   string         `json:"result"`
	Stats    RetestStats    `json:"stats"`
	Findings []RetestResult `json:"findings"`
}

// RetestStats counts a retest's requests and verdicts.
type RetestStats struct {
	Requests     int   `json:"requests"`
	DurationMS   int64 `json:"duration_ms"`
	StillOpen    int   `json:"still_open"`
	Fixed        int   `json:"fixed"`
	Inconclusive int   `json:"inconclusive"`
}

// RetestResult is one finding's retest.
type RetestResult struct {
	Fingerprint string            `json:"fingerprint"`
	Rule        string            `json:"rule"`
	Severity    finding.Severity  `json:"severity"`
	Endpoint    *finding.Endpoint `json:"endpoint"`
	Identity    string            `json:"identity,omitempty"`
	Status      string            `json:"status"`
	Why         string            `json:"why"`
	// suppressed: the finding was suppressed in the result retested.
	suppressed bool
}

// StillOpen reports whether the finding is still open, unsuppressed, at
// or above sev ("" : never).
func (r RetestResult) StillOpen(sev finding.Severity) bool {
	return r.Status == string(retest.StillOpen) && !r.suppressed && sev != "" && r.Severity.Rank() >= sev.Rank()
}

// RunRetest replays the proof of each of findings (from the result file
// named result) against cfg's target, set up as a scan is: the same
// target and identity checks, the same client. A Retest that is not nil
// is to be written, even beside an error: an *UnreachableError when no
// replayed request was answered, a *PreflightError when an identity could
// not log in (its findings are inconclusive).
func RunRetest(ctx context.Context, cfg Config, result string, findings []finding.Finding) (*Retest, error) {
	started := time.Now()
	st, err := newSetup(cfg, false)
	if err != nil {
		return nil, err
	}
	out, preflight := retest.Run(ctx, retest.Options{Client: st.client, Session: &identity.Session{Client: st.client, Target: st.target}, Identities: st.ids}, findings)
	doc := &Retest{Schema: RetestSchema, Target: st.target.String(), Result: result, Findings: []RetestResult{}}
	reached := len(out) == 0
	for _, r := range out {
		rr := RetestResult{Fingerprint: r.Finding.Fingerprint, Rule: r.Finding.Rule, Severity: r.Finding.Severity,
			Endpoint: r.Finding.Endpoint, Identity: r.Finding.Identity, Status: string(r.Status), Why: st.client.Redactor.String(r.Why),
			suppressed: r.Finding.Suppressed != ""}
		switch r.Status {
		case retest.StillOpen:
			doc.Stats.StillOpen++
			reached = true
		case retest.Fixed:
			doc.Stats.Fixed++
			reached = true
		default:
			doc.Stats.Inconclusive++
			if !strings.HasPrefix(r.Why, "no response") {
				reached = true
			}
		}
		doc.Findings = append(doc.Findings, rr)
	}
	doc.Stats.Requests = st.client.Requests()
	doc.Stats.DurationMS = time.Since(started).Milliseconds()
	if !reached {
		return doc, &UnreachableError{Err: fmt.Errorf("target %s did not answer any replayed request", st.target)}
	}
	if preflight != nil {
		return doc, &PreflightError{Err: preflight}
	}
	return doc, nil
}
