// Package authz holds the findings of the auth matrix: endpoints served
// without authentication, credentials whose weaker check wins, methods that
// bypass the check, objects of one identity readable by another (BOLA) and
// administrative functions reachable by non-administrators (BFLA). Every
// check starts from the matrix the engine probed and proves each positive
// again live, with a negative control.
package authz

import (
	"context"
	"fmt"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

const (
	ruleMissing = "authz.missing-authentication"
	ruleWeaker  = "authz.weaker-credential-wins"
	ruleMethod  = "authz.method-tampering"
	ruleBOLA    = "authz.bola"
	ruleBFLA    = "authz.bfla"
)

// Checks are the auth-matrix checks; they run once per scan, after the
// per-endpoint checks, over every endpoint's matrix.
func Checks() []probe.Check {
	return []probe.Check{
		{ID: ruleMissing, Scope: probe.PerScan, Rules: []string{ruleMissing}, Run: runMissing,
			Doc: "anonymous requests served where the spec, the sibling routes or an admin path say authentication is needed"},
		{ID: ruleWeaker, Scope: probe.PerScan, Rules: []string{ruleWeaker}, Run: runWeaker,
			Doc: "a garbage bearer, or a forged JWT on a key-gated route, gets in"},
		{ID: ruleMethod, Scope: probe.PerScan, Rules: []string{ruleMethod}, Run: runMethod,
			Doc: "HEAD, OPTIONS, a method-override header (and with --allow-writes the write methods) without credentials where GET is refused"},
		{ID: ruleBOLA, Scope: probe.PerScan, Rules: []string{ruleBOLA}, Run: runBOLA,
			Doc: "object ids harvested from each identity's responses, read by another identity"},
		{ID: ruleBFLA, Scope: probe.PerScan, Rules: []string{ruleBFLA}, Run: runBFLA,
			Doc: "non-admin identities on endpoints the policy or an admin path reserves to an admin identity that reaches them"},
		{ID: ruleBFLAMethod, Scope: probe.PerScan, Rules: []string{ruleBFLAMethod}, Run: runBFLAMethod,
			Doc: "one method of a path serves an identity that another method of the same path refuses while serving another identity"},
		{ID: ruleCollection, Scope: probe.PerScan, Rules: []string{ruleCollection}, Run: runCollection,
			Doc: "an authenticated list shows an identity objects whose owner field names another identity"},
	}
}

// row is one endpoint's matrix, indexed.
type row struct {
	ep    *inventory.Endpoint
	cells []probe.Cell
}

func rowOf(p *probe.Pass, ep *inventory.Endpoint) row {
	return row{ep: ep, cells: p.Matrix(ep)}
}

// anon is the anonymous cell.
func (r row) anon() probe.Cell {
	for _, c := range r.cells {
		if c.Variant == slots.CellAnonymous {
			return c
		}
	}
	return probe.Cell{}
}

// identity returns an identity's own cell.
func (r row) identity(name string) (probe.Cell, bool) {
	for _, c := range r.cells {
		if c.Variant == slots.CellIdentity && c.Identity == name {
			return c, true
		}
	}
	return probe.Cell{}, false
}

// variant returns the first cell of a variant.
func (r row) variant(v string) (probe.Cell, bool) {
	for _, c := range r.cells {
		if c.Variant == v {
			return c, true
		}
	}
	return probe.Cell{}, false
}

// refused: anonymous requests are refused, as the calibrated verdict says
// (401/403, a 200 error envelope, a redirect to sign in, ...).
func (r row) refused() bool {
	a := r.anon()
	return a.Verdict() == oracle.Rejected && a.Outcome != nil
}

// in lists the identity cells that got a 2xx answer unlike the anonymous
// one.
func (r row) in() []probe.Cell {
	var out []probe.Cell
	for _, c := range r.cells {
		if c.Variant == slots.CellIdentity && ok2xx(c.Outcome) && c.Ref != nil && c.Ref.Gated {
			out = append(out, c)
		}
	}
	return out
}

// denied: the answer refuses on its own (the one refusal oracle, without a
// calibration).
func denied(s *oracle.Sample) bool { return oracle.Refusal(s) }

// refusedOutcome: refused by the calibrated verdict, or by the answer's
// own shape.
func refusedOutcome(o *probe.Outcome) bool {
	return o != nil && (o.Rejected() || oracle.Refusal(o.Sample))
}

// ok2xx: accepted, with a success status and no error envelope.
func ok2xx(o *probe.Outcome) bool {
	return o != nil && o.Verdict == oracle.Accepted && oracle.Served(o.Sample)
}

// sendAnon re-sends the endpoint without credentials (the usual control).
func sendAnon(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, ref *oracle.Calibration) *probe.Outcome {
	o := p.Send(ctx, ep, nil, identity.Creds{}, ref)
	o.Label = "no credential (control)"
	return o
}

// report records a finding about ep.
func report(p *probe.Pass, rule string, ep *inventory.Endpoint, id string, conf finding.Confidence, o *probe.Outcome, msg, proof, control string) {
	reportAt(p, rule, ep, id, conf, "", o, msg, proof, control)
}

// reportAt is report at severity sev ("" keeps the rule's own).
func reportAt(p *probe.Pass, rule string, ep *inventory.Endpoint, id string, conf finding.Confidence, sev finding.Severity, o *probe.Outcome, msg, proof, control string) {
	pass := &probe.Pass{Env: p.Env, Endpoint: ep}
	f := pass.Finding(catalog.New(rule))
	f.Identity = id
	f.Confidence = conf
	if sev != "" {
		f.Severity = sev
	}
	f.Message = msg
	f.Evidence = pass.Evidence(o, proof, control)
	p.Report(f)
}

func status(o *probe.Outcome) string {
	if o == nil || o.Sample == nil {
		return "no answer"
	}
	if u := o.Sample.Unusable(); u != "" {
		return u
	}
	return fmt.Sprintf("status %d", o.Sample.Status)
}

// gatedRef is the first calibration of ep that tells a valid credential
// from none: what a refusal looks like there (nil when none does).
func gatedRef(p *probe.Pass, ep *inventory.Endpoint) *oracle.Calibration {
	for _, id := range p.Identities() {
		if c := p.Calibration(ep, id); c != nil && c.Gated {
			return c
		}
	}
	return nil
}
