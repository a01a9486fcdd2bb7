package engine

import (
	"context"
	"errors"
	"net/http"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// errDiscriminating marks the requests a check did not send because it ran
// as a discriminating probe (one request).
var errDiscriminating = errors.New("discriminating run: only the first request is sent")

// proof is the request that proved a finding on an endpoint: the
// credentials it carried, so that it can be replayed on the other members
// of the gate and by retest.
type proof struct {
	creds identity.Creds
	o     *probe.Outcome
}

// passEnv is the Env one check sees on one endpoint. It remembers the last
// accepted request to the endpoint (the proof of what the check reports)
// and, in discriminating mode, sends only the check's first request and
// reports nothing: the verdict of that request is what tells the members of
// a gate apart.
type passEnv struct {
	*Scan
	ep *inventory.Endpoint
	// discriminating: no findings, no notes, and at most budget requests
	// to the endpoint (0: until one is accepted); requests elsewhere (key
	// discovery, a key server) are not counted.
	discriminating bool
	budget         int
	sent           int
	accepted       *probe.Outcome
	// would lists the rules a discriminating run would have reported (a
	// key fetch needs no accepted request to prove itself).
	would  []string
	first  *probe.Outcome
	last   *proof
	firsts map[string]bool
}

func newPassEnv(s *Scan, ep *inventory.Endpoint, discriminating bool) *passEnv {
	return &passEnv{Scan: s, ep: ep, discriminating: discriminating, firsts: map[string]bool{}}
}

// answer is the discriminating answer: the accepted request if any, else
// the first one (nil when the check sent nothing to the endpoint).
func (e *passEnv) answer() *probe.Outcome {
	if e.accepted != nil {
		return e.accepted
	}
	return e.first
}

// Send implements probe.Env.
func (e *passEnv) Send(ctx context.Context, ep *inventory.Endpoint, req *httpx.Request, creds identity.Creds, cal *oracle.Calibration) *probe.Outcome {
	custom := req != nil
	counted := !custom && ep == e.ep
	if e.discriminating && counted && ((e.budget > 0 && e.sent >= e.budget) || e.accepted != nil) {
		req = &httpx.Request{Method: ep.Method, URL: e.URL(ep), Header: http.Header{}}
		return &probe.Outcome{Request: req, Sample: oracle.NewSample(0, nil, nil, errDiscriminating),
			Verdict: oracle.Inconclusive, Why: errDiscriminating.Error()}
	}
	o := e.Scan.Send(ctx, ep, req, creds, cal)
	if counted {
		e.sent++
		if e.first == nil {
			e.first = o
		}
		if o.Accepted() && e.accepted == nil {
			e.accepted = o
		}
	}
	if o.Accepted() && !custom && ep == e.ep {
		e.last = &proof{creds: creds.Clone(), o: o}
	}
	return o
}

// Report implements probe.Env.
func (e *passEnv) Report(f finding.Finding) {
	if e.discriminating {
		e.would = append(e.would, f.Rule)
		return
	}
	e.Scan.report(f, e.last)
}

// Note implements probe.Env.
func (e *passEnv) Note(msg string) {
	if !e.discriminating {
		e.Scan.Note(msg)
	}
}

// First implements probe.Env: a discriminating run must not use up the
// key of the full run that may follow.
func (e *passEnv) First(k string) bool {
	if !e.discriminating {
		return e.Scan.First(k)
	}
	if e.firsts[k] {
		return false
	}
	e.firsts[k] = true
	return true
}

// ScanEnv unwraps the pass's Env to the scan's (probe.ScanOf).
func (e *passEnv) ScanEnv() probe.Env { return e.Scan }
