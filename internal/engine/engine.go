// Package engine runs a scan: it logs identities in, calibrates every
// endpoint per identity, runs the registered checks against what the
// calibration shows is gated, and collects findings and the auth matrix. It
// holds the one registry of dynamic checks.
package engine

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// Options configure one scan.
type Options struct {
	Target      *url.URL
	Client      *httpx.Client
	Inventory   *inventory.Inventory
	Identities  []*identity.Identity
	Checks      []probe.Check
	AllowWrites bool
	// Parallel is how many endpoints are worked on at once.
	Parallel int
	// Settings are passed to every check.
	Settings probe.Settings
	// Allow, when set, decides which rules may be reported (--skip).
	Allow func(rule string) bool
	// Progress, when set, is told how far the checks have got.
	Progress func(Progress)
	// OnFinding is called as soon as a finding is recorded (streaming).
	OnFinding func(finding.Finding)
}

// Progress is a snapshot of a running scan.
type Progress struct {
	Done, Total int // check runs
	Requests    int
	Findings    int
}

// PreflightError means an identity could not be used: the scan cannot test.
type PreflightError struct{ Err error }

func (e *PreflightError) Error() string { return "identity preflight: " + e.Err.Error() }
func (e *PreflightError) Unwrap() error { return e.Err }

// Row is one endpoint's line of the auth matrix.
type Row struct {
	Endpoint *inventory.Endpoint
	Policy   string
	Matrix   map[string]string
	Requests int
}

// Outcome is everything a scan established.
type Outcome struct {
	Findings []finding.Finding
	Rows     []Row
	Notes    []string
	NotRun   []string
	// Writes are the endpoints not probed because they write.
	Writes []string
	// Incomplete is set when the context ended before every check ran.
	Incomplete bool
	// ChecksStarted is set once calibration was done and checks began.
	ChecksStarted bool
	// Coverage says per check family what was tested and what was skipped.
	Coverage []Coverage
}

type key struct {
	ep string
	id string
}

// Scan is the state of one run; it implements probe.Env.
type Scan struct {
	opt     Options
	session *identity.Session
	eps     []*inventory.Endpoint

	mu       sync.Mutex
	cals     map[key]*oracle.Calibration
	anon     map[string]*oracle.Sample
	findings []finding.Finding
	seen     map[string]bool
	proven   map[string]bool
	notes    []string
	epReqs   map[string]int
	kinds    map[string]string
	// secrets maps each identity's credential values to its name, for
	// labelling requests in the transcript.
	secrets map[string]string
	// cells are the auth matrix per endpoint key (matrix.go).
	cells map[string][]probe.Cell
	// flows are the lifecycle endpoints only the lifecycle checks send.
	flows []string
	// phase and checksStarted say how far the scan got (interrupts).
	phase         string
	checksStarted bool
}

// Run performs the scan. A *PreflightError means nothing could be tested.
func Run(ctx context.Context, opt Options) (*Outcome, error) {
	if opt.Parallel <= 0 {
		opt.Parallel = 4
	}
	s := &Scan{
		opt:     opt,
		session: &identity.Session{Client: opt.Client, Target: opt.Target},
		cals:    map[key]*oracle.Calibration{},
		anon:    map[string]*oracle.Sample{},
		seen:    map[string]bool{},
		proven:  map[string]bool{},
		epReqs:  map[string]int{},
		kinds:   map[string]string{},
		secrets: map[string]string{},
	}
	var writes []string
	for i := range opt.Inventory.Endpoints {
		ep := &opt.Inventory.Endpoints[i]
		if lifecycleOwned(ep, opt.Settings) {
			s.flows = append(s.flows, ep.Key())
			continue
		}
		if !safeMethod(ep.Method) {
			// Writes never go through the generic checks: body-less and
			// unordered they fail or destroy; the write phase
			// (probe/writes) sends them with bodies, after every read.
			if !opt.AllowWrites {
				writes = append(writes, ep.Key())
			}
			continue
		}
		s.eps = append(s.eps, ep)
	}
	// An interrupt or a spent budget is never blamed on an identity: when
	// the context has ended, what failed is the scan, and the outcome says
	// how far it got.
	s.phase = "login"
	for _, id := range opt.Identities {
		creds, err := id.Creds(ctx, s.session)
		if err != nil {
			if ctx.Err() != nil {
				return s.outcome(ctx, writes), nil
			}
			return nil, &PreflightError{Err: err}
		}
		opt.Client.Redactor.Add(creds.Secrets()...)
		s.kinds[id.Name] = credKind(creds)
		for _, v := range creds.Secrets() {
			if v != "" && s.secrets[v] == "" {
				s.secrets[v] = id.Name
			}
		}
	}
	s.phase = "calibration"
	plain, params := splitByParams(s.eps)
	if err := s.calibrate(ctx, plain); err != nil || ctx.Err() != nil {
		if ctx.Err() != nil {
			return s.outcome(ctx, writes), nil
		}
		return nil, err
	}
	s.harvest(params, plain)
	if err := s.calibrate(ctx, params); err != nil || ctx.Err() != nil {
		if ctx.Err() != nil {
			return s.outcome(ctx, writes), nil
		}
		return nil, err
	}
	if err := s.preflight(); err != nil {
		return nil, &PreflightError{Err: err}
	}
	s.phase = "checks"
	s.checksStarted = true
	s.probeMatrix(ctx)
	s.runChecks(ctx)
	return s.outcome(ctx, writes), nil
}

// outcome collects what the scan established so far.
func (s *Scan) outcome(ctx context.Context, writes []string) *Outcome {
	out := &Outcome{Writes: writes, ChecksStarted: s.checksStarted}
	for _, w := range writes {
		out.NotRun = append(out.NotRun, w+": writes need --allow-writes")
	}
	out.NotRun = append(out.NotRun, flowNotes(s.flows, s.opt.AllowWrites)...)
	if ctx.Err() != nil {
		out.Incomplete = true
		what := "scan stopped early during " + s.phase
		if !s.checksStarted {
			what += " (no check ran)"
		}
		out.NotRun = append(out.NotRun, what+": "+context.Cause(ctx).Error())
	}
	s.mu.Lock()
	out.Findings = append([]finding.Finding(nil), s.findings...)
	out.Notes = append([]string(nil), s.notes...)
	s.mu.Unlock()
	out.Rows = s.matrix()
	out.Coverage = s.coverage(context.WithoutCancel(ctx), writes)
	finding.Sort(out.Findings)
	return out
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func (s *Scan) runChecks(ctx context.Context) {
	var perID, perEP, perScan []probe.Check
	for _, c := range s.opt.Checks {
		switch c.Scope {
		case probe.PerIdentity:
			perID = append(perID, c)
		case probe.PerEndpoint:
			perEP = append(perEP, c)
		case probe.PerScan:
			perScan = append(perScan, c)
		}
	}
	for _, id := range s.opt.Identities {
		creds, err := id.Creds(ctx, s.session)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			s.Note(fmt.Sprintf("identity %s: %v", id.Name, err))
			continue
		}
		for _, c := range perID {
			c.Run(ctx, &probe.Pass{Env: s, Identity: id, Creds: creds})
		}
	}
	total := len(s.eps)*len(perEP) + len(perScan)
	var done atomic.Int64
	tick := func() {
		n := int(done.Add(1))
		if s.opt.Progress == nil {
			return
		}
		s.mu.Lock()
		found := len(s.findings)
		s.mu.Unlock()
		s.opt.Progress(Progress{Done: n, Total: total, Requests: s.opt.Client.Requests(), Findings: found})
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.opt.Parallel)
	for _, ep := range s.eps {
		g.Go(func() error {
			for _, c := range perEP {
				if gctx.Err() != nil {
					return nil
				}
				s.runOnEndpoint(gctx, c, ep)
				tick()
			}
			return nil
		})
	}
	_ = g.Wait()
	for _, c := range perScan {
		if ctx.Err() != nil {
			return
		}
		c.Run(ctx, &probe.Pass{Env: s})
		tick()
	}
}

// runOnEndpoint runs a per-endpoint check once per identity whose credential
// the endpoint gates; the check itself decides whether the identity's
// credentials are the kind it tests, and findings dedupe per endpoint.
func (s *Scan) runOnEndpoint(ctx context.Context, c probe.Check, ep *inventory.Endpoint) {
	for _, id := range s.opt.Identities {
		cal := s.Calibration(ep, id)
		if cal == nil || !cal.Gated {
			continue
		}
		creds, err := id.Creds(ctx, s.session)
		if err != nil {
			continue
		}
		c.Run(ctx, &probe.Pass{Env: s, Endpoint: ep, Identity: id, Creds: creds, Cal: cal})
	}
}
