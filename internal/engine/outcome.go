package engine

import (
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
