package engine

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"

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
	// url is the request's URL before credentials were applied.
	url string
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
	// byPath keeps, for a per-scan check (no endpoint), the last request to
	// each path: the proof of what it reports there.
	byPath map[string]*proof
	// mu guards what Send records: a check may send concurrently.
	mu sync.Mutex
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
	e.mu.Lock()
	blocked := e.discriminating && counted && ((e.budget > 0 && e.sent >= e.budget) || e.accepted != nil)
	e.mu.Unlock()
	if blocked {
		req = &httpx.Request{Method: ep.Method, URL: e.URL(ep), Header: http.Header{}}
		return &probe.Outcome{Request: req, Sample: oracle.NewSample(0, nil, nil, errDiscriminating),
			Verdict: oracle.Inconclusive, Why: errDiscriminating.Error()}
	}
	raw := ""
	if custom {
		raw = req.URL
	} else if ep != nil {
		raw = e.URL(ep)
	}
	o := e.Scan.Send(ctx, ep, req, creds, cal)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ep == nil && !e.discriminating && raw != "" {
		if e.byPath == nil {
			e.byPath = map[string]*proof{}
		}
		e.byPath[pathOf(raw)] = &proof{creds: creds.Clone(), o: kept(o), url: raw}
	}
	if custom && e.ep != nil && ep == e.ep && o.Accepted() && pathOf(raw) == pathOf(e.URL(ep)) {
		// A check that builds its own request (a token moved to the
		// query) proves with it.
		e.last = &proof{creds: creds.Clone(), o: o, url: raw}
	}
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
		e.last = &proof{creds: creds.Clone(), o: o, url: raw}
	}
	return o
}

// Report implements probe.Env.
func (e *passEnv) Report(f finding.Finding) {
	if e.discriminating {
		e.would = append(e.would, f.Rule)
		return
	}
	e.mu.Lock()
	pr := e.last
	if e.ep == nil && f.Endpoint != nil && f.Evidence != nil {
		// A per-scan check: the last request to the finding's endpoint,
		// if it is the one whose answer the evidence shows.
		pr = nil
		ep := &inventory.Endpoint{Method: f.Endpoint.Method, Path: f.Endpoint.Path}
		if p := e.byPath[pathOf(e.URL(ep))]; p != nil && p.o.Sample != nil && p.o.Sample.Status == f.Evidence.Status {
			pr = p
		}
	}
	e.mu.Unlock()
	e.Scan.report(f, pr)
}

// Note implements probe.Env.
func (e *passEnv) Note(msg string) {
	if !e.discriminating {
		e.Scan.Note(msg)
	}
}

// NotRun implements probe.Env.
func (e *passEnv) NotRun(msg string) {
	if !e.discriminating {
		e.Scan.NotRun(msg)
	}
}

// Undecided implements probe.Env.
func (e *passEnv) Undecided(family, why string) {
	if !e.discriminating {
		e.Scan.Undecided(family, why)
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

func pathOf(raw string) string {
	p, _, _ := strings.Cut(raw, "?")
	return p
}

// kept is a copy of o for a proof held until the check ends: a per-scan
// check remembers one answer per path it sent to, so its body is cut to
// what a kept sample holds (the check goes on reading the whole of o).
func kept(o *probe.Outcome) *probe.Outcome {
	if o == nil || o.Sample == nil || len(o.Sample.Body) <= oracle.KeepBody {
		return o
	}
	c := *o
	s := oracle.NewSample(o.Sample.Status, o.Sample.Header, append([]byte(nil), o.Sample.Body[:oracle.KeepBody]...), o.Sample.Err)
	s.Took = o.Sample.Took
	s.Cut = true
	c.Sample = s
	return &c
}
