package scan

import (
	"context"
	"errors"
	"net/url"
	"reflect"
	"sync"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/report"
	codesrc "github.com/authprobe/authprobe/internal/source"
	"github.com/authprobe/authprobe/internal/transport"
)

// run is one scan between its setup and its result.
type run struct {
	cfg     Config
	h       Handler
	started time.Time
	*setup
	inv      *inventory.Inventory
	src      *source
	excluded []report.Skip
	settings probe.Settings

	mu      sync.Mutex
	partial *report.Result // what Handler.Flush is handed
}

func (r *run) newResult() *report.Result {
	res := report.New(r.target.String(), r.cfg.Version)
	res.StartedAt = r.started.UTC().Truncate(time.Second)
	return res
}

// prepare builds the inventory, loads the source and applies exclusions.
func (r *run) prepare(ctx context.Context) error {
	var err error
	if r.inv, err = buildInventory(ctx, r.cfg, r.target); err != nil {
		return err
	}
	r.settings = r.cfg.Settings
	if r.src, err = loadSource(ctx, r.cfg, r.target, &r.settings, r.inv); err != nil {
		return err
	}
	r.settings = r.src.settings(r.settings)
	if r.excluded, err = excludeEndpoints(r.inv, r.cfg.Exclude); err != nil {
		// Not the context's doing: a pattern that does not parse.
		return &excludeError{err}
	}
	return nil
}

// excludeError passes a bad exclusion through stopped unchanged.
type excludeError struct{ error }

// scan runs the engine and builds the result.
func (r *run) scan(ctx context.Context, res *report.Result) (*report.Result, error) {
	inferred := inferUse(ctx, r.client, r.inv, r.target, r.ids, r.src, r.cfg.AllowWrites)
	r.partial = r.newResult()
	outcome, err := engine.Run(ctx, engine.Options{
		Target: r.target, Client: r.client, Inventory: r.inv, Identities: r.ids, Checks: r.checks,
		AllowWrites: r.cfg.AllowWrites, Parallel: r.cfg.Concurrency, OnFinding: r.found,
		Settings: r.settings, Progress: r.h.Progress, Allow: engine.RuleFilter(r.cfg.Checks, r.cfg.Skip),
		SourceGates: r.src.gates, Fast: r.cfg.Fast,
	})
	if err != nil {
		if ctx.Err() != nil {
			return r.stopped(ctx, res, err)
		}
		msg := errors.New(r.client.Redactor.String(err.Error()))
		var pe *engine.PreflightError
		if errors.As(err, &pe) {
			if outcome != nil && answeredUsably(r.client.Transcript()) {
				// No identity authenticates anywhere: exit 3, and the
				// result is still written — incomplete, never graded —
				// with the notes saying which identity failed how.
				fill(res, outcome, r.inv, r.client.Requests(), r.started)
				addExcluded(res, r.excluded)
				res.Warnings = append(inferred, res.Warnings...)
				res.NotRun = append(res.NotRun, "identity preflight: "+pe.Err.Error())
				res.FamiliesNotRun = engine.FamiliesNotRun(engine.Registry(), r.checks)
				res.Incomplete = true
				redactResult(res, r.client.Redactor)
				return res, &PreflightError{Err: msg}
			}
			return nil, &PreflightError{Err: msg}
		}
		return nil, &UnreachableError{Err: msg}
	}
	if ctx.Err() == nil && unreachable(outcome, r.client.Transcript()) {
		return nil, &UnreachableError{Err: whyUnreachable(r.target, r.client.Transcript())}
	}
	fill(res, outcome, r.inv, r.client.Requests(), r.started)
	if r.cfg.AllowWrites {
		res.Writes = writeCoverage(r.inv, r.target, r.client.Transcript(), res.Warnings)
	}
	addExcluded(res, r.excluded)
	res.Warnings = append(inferred, res.Warnings...)
	r.src.join(res, outcome, r.ids)
	res.Incomplete = res.Incomplete || ctx.Err() != nil
	res.FamiliesNotRun = engine.FamiliesNotRun(engine.Registry(), r.checks)
	report.SetGrade(res)
	redactResult(res, r.client.Redactor)
	if stop := stoppedBy(ctx, false, outcome.ChecksStarted); stop != nil {
		return res, stop
	}
	return res, nil
}

// found redacts a finding as the engine records it and hands it, and the
// result so far, to the handler.
func (r *run) found(f finding.Finding) {
	if !r.client.Redactor.Show {
		redactValue(reflect.ValueOf(&f).Elem(), r.client.Redactor, 0)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.partial.Findings = append(r.partial.Findings, f)
	r.partial.Incomplete = true
	if r.h.Finding != nil {
		r.h.Finding(f)
	}
	if r.h.Flush != nil {
		snap := *r.partial
		snap.Findings = append([]finding.Finding(nil), r.partial.Findings...)
		r.h.Flush(&snap)
	}
}

// stopped handles an error from a stage the context's end cut short: the
// result is still returned to be written, marked incomplete. Other errors
// pass through, redacted.
func (r *run) stopped(ctx context.Context, res *report.Result, err error) (*report.Result, error) {
	var ex *excludeError
	if errors.As(err, &ex) {
		return nil, ex.error
	}
	if ctx.Err() == nil {
		msg := errors.New(r.client.Redactor.String(err.Error()))
		var ue *UsageError
		if errors.As(err, &ue) {
			return nil, &UsageError{Err: msg}
		}
		return nil, &UnreachableError{Err: msg}
	}
	res.Incomplete = true
	res.Findings = []finding.Finding{}
	res.NotRun = append(res.NotRun, "scan stopped before any check ran: "+context.Cause(ctx).Error())
	res.Stats = report.Stats{Requests: r.client.Requests()}
	report.SetGrade(res)
	redactResult(res, r.client.Redactor)
	return res, stoppedBy(ctx, true, false)
}

// answeredUsably: the target gave at least one answer that is neither a
// transport error, nor throttling, nor a server error. A target that never
// did is broken or unreachable (exit 3, no result), not an API whose
// identities fail.
func answeredUsably(log []httpx.Entry) bool {
	for _, e := range log {
		if e.Status >= 200 && e.Status < 500 && e.Status != 429 {
			return true
		}
	}
	return false
}

// inferUse sets where each login identity without use: sends its token,
// from the spec, the source's JWT settings, the API's refusals and the
// request values the source reads to decide access, each
// tried once (see package transport). It returns one line per decision,
// for the result's warnings.
func inferUse(ctx context.Context, client *httpx.Client, inv *inventory.Inventory, target *url.URL, ids []*identity.Identity, src *source, writes bool) []string {
	o := transport.Options{
		Client: client, Session: &identity.Session{Client: client, Target: target},
		Inventory: inv, Identities: ids, Writes: writes,
	}
	if src != nil {
		codesrc.TransportOptions(src.proj, &o)
	}
	return transport.Infer(ctx, o)
}
