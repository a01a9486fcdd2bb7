// Package drift compares two results of the same API in two environments
// (staging and production, two regions, two deployments of one service)
// endpoint by endpoint: who is accepted (the auth matrix), the inferred
// policy, and the findings present on one side only, with the evidence of
// each side. It reads results, never a scan's internals.
package drift

import (
	"sort"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/report"
)

// Schema is the value of Report.Schema.
const Schema = "authprobe/drift/v1"

// Report is what `authprobe compare A.json B.json` writes.
type Report struct {
	Schema string `json:"schema"`
	A      Side   `json:"a"`
	B      Side   `json:"b"`
	// Drift lists the endpoints that differ, sorted by path then method;
	// endpoints that agree are not listed.
	Drift []Entry `json:"drift"`
}

// Side names one of the two results.
type Side struct {
	Target    string `json:"target"`
	Endpoints int    `json:"endpoints"`
	Findings  int    `json:"findings"`
}

// Entry is one endpoint that differs between A and B.
type Entry struct {
	Endpoint finding.Endpoint `json:"endpoint"`
	// Only is "a" or "b" for an endpoint present in one result only.
	Only string `json:"only,omitempty"`
	// Matrix lists the principals accepted on one side and rejected on the
	// other. Inconclusive or untested cells are not drift: the scan could
	// not tell.
	Matrix []Cell `json:"matrix,omitempty"`
	// Policy is set when the inferred policy differs.
	Policy *Change `json:"policy,omitempty"`
	// Findings are the findings (by rule) on this endpoint on one side only.
	Findings []Side1 `json:"findings,omitempty"`
	// Severity is the weight of the entry for --fail-on: the most severe
	// one-sided finding; high for a principal accepted on one side only,
	// medium for a policy change, info for an endpoint on one side only.
	Severity finding.Severity `json:"severity"`
}

// Cell is one principal's verdict on each side.
type Cell struct {
	Principal string `json:"principal"`
	A         string `json:"a"`
	B         string `json:"b"`
}

// Change is a value on each side.
type Change struct {
	A string `json:"a"`
	B string `json:"b"`
}

// Side1 is a finding present on one side only, with its evidence there and
// what the endpoint's matrix row was on the other side.
type Side1 struct {
	Rule     string           `json:"rule"`
	Title    string           `json:"title"`
	Severity finding.Severity `json:"severity"`
	// In is "a" or "b": the side that has the finding.
	In      string          `json:"in"`
	Finding finding.Finding `json:"finding"`
	// Other is the endpoint's auth matrix on the side without the finding.
	Other map[string]string `json:"other_matrix,omitempty"`
}

// Between says how one API differs between two environments (authprobe
// compare), endpoint by endpoint.
func Between(a, b *report.Result) *Report {
	r := &Report{Schema: Schema, A: side(a), B: side(b), Drift: []Entry{}}
	ea, eb := endpoints(a), endpoints(b)
	fa, fb := byEndpoint(a), byEndpoint(b)
	keys := map[finding.Endpoint]bool{}
	for k := range ea {
		keys[k] = true
	}
	for k := range eb {
		keys[k] = true
	}
	for k := range fa {
		keys[k] = true
	}
	for k := range fb {
		keys[k] = true
	}
	for k := range keys {
		rowA, inA := ea[k]
		rowB, inB := eb[k]
		e := Entry{Endpoint: k}
		switch {
		case inA && !inB:
			e.Only, e.Severity = "a", finding.Info
		case inB && !inA:
			e.Only, e.Severity = "b", finding.Info
		case inA && inB:
			e.Matrix = matrixDrift(rowA.Matrix, rowB.Matrix)
			if len(e.Matrix) > 0 {
				e.Severity = raise(e.Severity, finding.High)
			}
			if rowA.Policy != rowB.Policy && rowA.Policy != "" && rowB.Policy != "" {
				e.Policy = &Change{A: rowA.Policy, B: rowB.Policy}
				e.Severity = raise(e.Severity, finding.Medium)
			}
		}
		e.Findings = append(oneSided(fa[k], fb[k], "a", rowB.Matrix), oneSided(fb[k], fa[k], "b", rowA.Matrix)...)
		for _, f := range e.Findings {
			e.Severity = raise(e.Severity, f.Severity)
		}
		if e.Only != "" || len(e.Matrix) > 0 || e.Policy != nil || len(e.Findings) > 0 {
			r.Drift = append(r.Drift, e)
		}
	}
	sort.Slice(r.Drift, func(i, j int) bool {
		x, y := r.Drift[i].Endpoint, r.Drift[j].Endpoint
		if x.Path != y.Path {
			return x.Path < y.Path
		}
		return x.Method < y.Method
	})
	return r
}

// AtLeast reports whether an entry weighs min or more (min "" is none).
func (r *Report) AtLeast(min finding.Severity) bool {
	if min == "" {
		return false
	}
	for _, e := range r.Drift {
		if e.Severity.Rank() >= min.Rank() {
			return true
		}
	}
	return false
}

func side(r *report.Result) Side {
	n := 0
	for _, f := range r.Findings {
		if f.Suppressed == "" {
			n++
		}
	}
	return Side{Target: r.Target, Endpoints: len(r.Endpoints), Findings: n}
}

func endpoints(r *report.Result) map[finding.Endpoint]report.Endpoint {
	m := map[finding.Endpoint]report.Endpoint{}
	for _, e := range r.Endpoints {
		m[finding.Endpoint{Method: e.Method, Path: e.Path}] = e
	}
	return m
}

// byEndpoint indexes the active findings by every endpoint they were seen
// on (the representative and the instances).
func byEndpoint(r *report.Result) map[finding.Endpoint][]finding.Finding {
	m := map[finding.Endpoint][]finding.Finding{}
	for _, f := range r.Findings {
		if f.Suppressed != "" {
			continue
		}
		seen := map[finding.Endpoint]bool{}
		add := func(ep *finding.Endpoint) {
			if ep == nil || seen[*ep] {
				return
			}
			seen[*ep] = true
			m[*ep] = append(m[*ep], f)
		}
		add(f.Endpoint)
		for _, in := range f.Instances {
			add(in.Endpoint)
		}
	}
	return m
}

// oneSided lists the rules in mine that theirs does not have on the
// endpoint.
func oneSided(mine, theirs []finding.Finding, in string, other map[string]string) []Side1 {
	has := map[string]bool{}
	for _, f := range theirs {
		has[f.Rule] = true
	}
	var out []Side1
	done := map[string]bool{}
	for _, f := range mine {
		if has[f.Rule] || done[f.Rule] {
			continue
		}
		done[f.Rule] = true
		out = append(out, Side1{Rule: f.Rule, Title: f.Title, Severity: f.Severity, In: in, Finding: f, Other: other})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rule < out[j].Rule })
	return out
}

// matrixDrift lists the principals accepted on one side, rejected on the
// other.
func matrixDrift(a, b map[string]string) []Cell {
	var out []Cell
	for p, va := range a {
		vb, ok := b[p]
		if !ok || va == vb || !conclusive(va) || !conclusive(vb) {
			continue
		}
		out = append(out, Cell{Principal: p, A: va, B: vb})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Principal < out[j].Principal })
	return out
}

func conclusive(v string) bool { return v == "accepted" || v == "rejected" }

func raise(cur, s finding.Severity) finding.Severity {
	if s.Rank() > cur.Rank() {
		return s
	}
	return cur
}
