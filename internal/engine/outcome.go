package engine

import (
	"context"
	"fmt"

	"github.com/authprobe/authprobe/internal/engine/gates"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/matrix"
	"github.com/authprobe/authprobe/internal/report"
)

// reportCoverage is the coverage as the result carries it.
func reportCoverage(cs []Coverage) []report.Coverage {
	var out []report.Coverage
	for _, c := range cs {
		rc := report.Coverage{Family: c.Family, Tested: c.Tested, Inconclusive: c.Inconclusive, Undecided: c.Undecided}
		for _, s := range c.Skipped {
			sk := report.Skip{Identity: s.Identity, Reason: s.Reason}
			if s.Endpoint != nil {
				sk.Endpoint = &finding.Endpoint{Method: s.Endpoint.Method, Path: s.Endpoint.Path}
			}
			rc.Skipped = append(rc.Skipped, sk)
		}
		out = append(out, rc)
	}
	return out
}

// reportEndpoints are the auth matrix rows as the result carries them,
// each with its gate and its line in the code.
func reportEndpoints(rows []matrix.Row, gs []gates.Gate) []report.Endpoint {
	gateOf := map[string]string{}
	for _, g := range gs {
		for _, m := range g.Members {
			gateOf[m.Key()] = g.ID
		}
	}
	var out []report.Endpoint
	for _, r := range rows {
		e := report.Endpoint{Method: r.Endpoint.Method, Path: r.Endpoint.Path, Policy: r.Policy, Matrix: r.Matrix, Requests: r.Requests,
			Gate: gateOf[r.Endpoint.Key()]}
		if r.Endpoint.File != "" {
			e.Source = fmt.Sprintf("%s:%d", r.Endpoint.File, r.Endpoint.Line)
		}
		out = append(out, e)
	}
	return out
}

// Outcome is everything a scan established.
type Outcome struct {
	Findings []finding.Finding
	Rows     []matrix.Row
	Notes    []string
	NotRun   []string
	// Writes are the endpoints not probed because they write.
	Writes []string
	// Incomplete is set when the context ended before every check ran.
	Incomplete bool
	// ChecksStarted is set once calibration was done and checks began.
	ChecksStarted bool
	// Coverage says per check family what was tested and what was skipped.
	Coverage []report.Coverage
	// Endpoints are the auth matrix as the result carries it.
	Endpoints []report.Endpoint
	// Gates is the gate map: endpoints grouped by the verifier they share.
	Gates []gates.Gate
	// Failed are the identities preflight set aside (login failed, or
	// refused everywhere they were tried), and why.
	Failed []Failed
	// Accounts are the throwaway accounts the scan registered.
	Accounts []report.Account
}

func (s *Scan) outcome(ctx context.Context, writes []string) *Outcome {
	out := &Outcome{Writes: writes, ChecksStarted: s.checksStarted}
	for _, w := range writes {
		out.NotRun = append(out.NotRun, w+": writes need --allow-writes")
	}
	out.NotRun = append(out.NotRun, flowNotes(s.flows, s.opt.AllowWrites)...)
	for _, k := range s.hanging() {
		out.NotRun = append(out.NotRun, k+": "+ReasonHangs)
	}
	if ctx.Err() != nil {
		out.Incomplete = true
		what := "scan stopped early during " + s.phase
		if !s.checksStarted {
			what += " (no check ran)"
		}
		out.NotRun = append(out.NotRun, what+": "+context.Cause(ctx).Error())
	}
	s.finishFamilies(ctx)
	s.mu.Lock()
	s.finishRoots()
	out.Findings = append([]finding.Finding(nil), s.findings...)
	out.Notes = append([]string(nil), s.notes...)
	out.NotRun = append(out.NotRun, s.notRun...)
	s.mu.Unlock()
	out.Rows = s.matrix()
	out.Coverage = reportCoverage(s.coverage(context.WithoutCancel(ctx), writes))
	out.Gates = s.Gates()
	s.mu.Lock()
	out.Failed = append([]Failed(nil), s.failed...)
	s.mu.Unlock()
	out.Endpoints = reportEndpoints(out.Rows, out.Gates)
	if s.registration != nil {
		for _, a := range s.registration.Accounts {
			out.Accounts = append(out.Accounts, report.Account{Name: a.Name, User: a.User, How: a.How, State: a.State, Fields: a.Fields})
		}
	}
	finding.Sort(out.Findings)
	return out
}

// flowNotes say why the lifecycle endpoints have no row of their own.
func flowNotes(keys []string, writes bool) []string {
	why := ": lifecycle flow, tested by the session and account checks only"
	if !writes {
		why += " (state-changing steps need --allow-writes)"
	}
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, k+why)
	}
	return out
}
