// Package scan is the one scan pipeline: every caller (scan, scan
// --targets, retest) sets a scan up and runs it through this package. Run
// takes a Config — what the user asked for, flags and config file already
// merged by the caller — validates the identities, builds the inventory
// (spec, config, flags, --source routes), leaves out excluded and
// side-effect endpoints, infers where login tokens are sent, runs the
// engine, pins findings to the source, redacts the result and says, with a
// typed error, why a scan could not test or stopped early. Findings and
// progress stream through a Handler as they come.
package scan

import (
	"context"
	"errors"
	"github.com/authprobe/authprobe/internal/static/exact"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/report"
)

// Config is one scan: the target, where its endpoints come from, the
// identities it acts as and its limits. Relative paths are resolved by the
// caller.
type Config struct {
	// Target is the base URL of the API.
	Target string
	// Version is the tool version written into the result.
	Version string
	// Spec is an OpenAPI or Swagger file or URL; Source a Flask source
	// directory.
	Spec, Source string
	// Import, when set, imports the app of Source with the real Flask
	// (exact mode; runs the project's code) for its routes.
	Import *exact.Options
	// Endpoints are the config file's "METHOD /path" lines; EndpointFlags
	// the --endpoint ones, which replace them when given.
	Endpoints, EndpointFlags []string
	// Exclude are "METHOD /path-glob" patterns never called.
	Exclude []string
	// Identities are the principals the scan acts as, primary first.
	Identities []*identity.Identity
	// Checks and Skip select checks by id, rule or family prefix.
	Checks, Skip []string
	Rate         float64
	Concurrency  int
	Timeout      time.Duration
	// Budget stops the scan after this long (0: no limit).
	Budget      time.Duration
	AllowWrites bool
	// Fast confirms a gate's verdicts on a sample of its members only.
	Fast bool
	// DryRun hands the write plan to Handler.Plan and sends nothing.
	DryRun bool
	// Transcript, when set, is the file every request sent is logged to.
	Transcript string
	// ShowSecrets turns redaction off.
	ShowSecrets bool
	// Settings are the options checks read.
	Settings probe.Settings
	// Hosts are per-host limits shared with other scans; nil: the scan's own.
	Hosts *httpx.Hosts
}

// Progress is a snapshot of a running scan.
type Progress = engine.Progress

// Handler receives what a scan produces while it runs. Every field may be
// nil.
type Handler struct {
	// Finding is called with each finding as it is recorded, redacted.
	Finding func(finding.Finding)
	// Progress is told how far the checks have got.
	Progress func(Progress)
	// Warning is told of a problem that does not change the result (a
	// transcript that could not be written).
	Warning func(string)
	// Flush is handed the result so far — the findings recorded, marked
	// incomplete — after each finding, so that a sink can keep files
	// current for a run that is killed. The result is the handler's to
	// keep: the scan does not change it afterwards.
	Flush func(*report.Result)
	// Plan receives a dry run's write plan, one line per step.
	Plan func(steps []string)
}

// ErrBudget is the cause of a scan stopped by its time budget.
var ErrBudget = errors.New("time budget spent")

// Run runs one scan. A result that is not nil is to be written, even
// beside an error: a *StoppedError comes with the result as far as the
// scan got, and a *PreflightError (no identity authenticates anywhere)
// with what the scan established, marked incomplete, when the target
// answered at all. Other errors (*UsageError, *UnreachableError, a
// *PreflightError on a target that never answered usably) come alone. A dry run returns nil, nil after handing
// the plan to h.Plan.
func Run(ctx context.Context, cfg Config, h Handler) (*report.Result, error) {
	started := time.Now()
	st, err := newSetup(cfg, true)
	if err != nil {
		return nil, err
	}
	if cfg.Budget > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, cfg.Budget, ErrBudget)
		defer cancel()
	}
	r := &run{cfg: cfg, h: h, setup: st, started: started}
	res := r.newResult()
	if err := r.prepare(ctx); err != nil {
		return r.stopped(ctx, res, err)
	}
	if cfg.DryRun {
		if h.Plan != nil {
			h.Plan(writePlan(r.settings, r.inv, st.ids))
		}
		return nil, nil
	}
	if cfg.Transcript != "" {
		defer func() {
			if err := writeTranscript(cfg.Transcript, st.client.Transcript()); err != nil && h.Warning != nil {
				h.Warning("transcript: " + err.Error())
			}
		}()
	}
	return r.scan(ctx, res)
}
